// The counselor's desk for as long as the console is shown.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { CounselorDesk, type DeskSnapshot } from './desk';

const noop = () => () => undefined;
let empty: DeskSnapshot | undefined;

export function useDesk(): { desk: CounselorDesk | undefined; snapshot: DeskSnapshot } {
  const [desk, setDesk] = useState<CounselorDesk>();
  useEffect(() => {
    const created = new CounselorDesk();
    setDesk(created);
    return () => created.dispose();
  }, []);
  const snapshot = useSyncExternalStore(desk?.subscribe ?? noop, desk?.getSnapshot ?? (() => (empty ??= initial())));
  return { desk, snapshot };
}

function initial(): DeskSnapshot {
  return {
    connection: 'connecting',
    presence: null,
    provider: 'builtin',
    offers: [],
    accepting: [],
    seats: [],
    activeId: undefined,
    local: undefined,
    endedCount: 0,
  };
}
