// The local day of the store's first order: the earliest day the date pickers offer.
import { useEffect, useState } from 'react';
import { api } from '../api/client';

export function useFirstOrderDate(storeId: string): string | undefined {
  const [firstDate, setFirstDate] = useState<string>();
  useEffect(() => {
    let alive = true;
    api.firstOrderDate(storeId).then(
      (answer) => {
        if (alive) setFirstDate(answer.firstDate ?? undefined);
      },
      () => undefined, // only a convenience: the pickers work without it
    );
    return () => {
      alive = false;
    };
  }, [storeId]);
  return firstDate;
}
