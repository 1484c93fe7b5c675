// Pages that need a session of a role: without one, off to /login?role=….
import type { ReactNode } from 'react';
import { Navigate } from 'react-router-dom';
import { sessions, type Role } from '../api/client';

export function RequireSession({ role, children }: { role: Role; children: ReactNode }) {
  if (!sessions.has(role)) return <Navigate to={`/login?role=${role}`} replace />;
  return <>{children}</>;
}
