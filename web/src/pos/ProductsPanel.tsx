// The 상품 tab: categories above, products below.
import { useCallback, useEffect, useState } from 'react';
import { api, type Category } from '../api/client';
import { CategoriesSection } from './CategoriesSection';
import { ItemsSection } from './ItemsSection';

export function ProductsPanel({ storeId, onNotice }: { storeId: string; onNotice(text: string | undefined): void }) {
  const [categories, setCategories] = useState<Category[]>();
  const [loadError, setLoadError] = useState<unknown>();

  const load = useCallback(async () => {
    setLoadError(undefined);
    try {
      setCategories((await api.listCategories(storeId)).categories);
    } catch (caught) {
      setLoadError(caught);
    }
  }, [storeId]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <>
      <CategoriesSection
        storeId={storeId}
        categories={categories}
        loadError={loadError}
        onReload={() => void load()}
        onChange={setCategories}
        onNotice={onNotice}
      />
      {categories ? <ItemsSection storeId={storeId} categories={categories} onItemsChanged={() => void load()} onNotice={onNotice} /> : null}
    </>
  );
}
