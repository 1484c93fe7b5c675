// The attract screen's promotion: the store's menu items that have a photo, one at a time, large,
// changing slowly (a gentle fade, none with reduced motion; never flashing). A touch on it pauses
// it (a customer reading should not have it move away), and "다시 넘기기" starts it again; the
// previous/next buttons are big. Screen readers hear a slide only when the customer moves it.
import { useEffect, useState } from 'react';
import { api, type MenuItem } from '../../api/client';
import { won } from '../../format';
import { useI18n } from '../../i18n';

/** each slide stays this long */
export const SLIDE_SECONDS = 8;
/** the menu is fetched again this often while the attract screen shows */
const MENU_REFRESH_MS = 10 * 60_000;
const MAX_SLIDES = 12;

const hasOwnPhoto = (item: MenuItem) => !item.imageUrl.endsWith('/default-item.svg');

export function PromotionCarousel({ storeId }: { storeId: string }) {
  const { t, lang } = useI18n();
  const [slides, setSlides] = useState<MenuItem[]>([]);
  const [index, setIndex] = useState(0);
  const [paused, setPaused] = useState(false);

  useEffect(() => {
    let alive = true;
    const load = async () => {
      try {
        const menu = await api.menu(storeId);
        const items = menu.categories.flatMap((category) => category.items).filter((item) => hasOwnPhoto(item) && !item.soldOut);
        if (alive) setSlides(items.slice(0, MAX_SLIDES));
      } catch {
        // no promotion then; the start screen works without it
      }
    };
    void load();
    const timer = window.setInterval(() => void load(), MENU_REFRESH_MS);
    return () => {
      alive = false;
      window.clearInterval(timer);
    };
  }, [storeId]);

  useEffect(() => {
    if (paused || slides.length < 2) return;
    const timer = window.setInterval(() => setIndex((current) => (current + 1) % slides.length), SLIDE_SECONDS * 1000);
    return () => window.clearInterval(timer);
  }, [paused, slides.length]);

  if (slides.length === 0) return null;
  const current = Math.min(index, slides.length - 1);
  const move = (step: number) => {
    setPaused(true);
    setIndex((current + step + slides.length) % slides.length);
  };

  return (
    <section className="promo" aria-roledescription="carousel" aria-label={t.kioskPresence.carousel.label}>
      <div className="promo-viewport" aria-live={paused ? 'polite' : 'off'} onPointerDown={() => setPaused(true)}>
        {slides.map((item, position) => (
          <div
            key={item.id}
            role="group"
            aria-roledescription="slide"
            aria-label={t.kioskPresence.carousel.slide(position + 1, slides.length)}
            className="promo-slide"
            hidden={position !== current}
          >
            <img className="promo-photo" src={item.imageUrl} alt="" width={480} height={480} />
            <p className="promo-name">{item.name}</p>
            <p className="promo-price">{won(item.price, lang)}</p>
          </div>
        ))}
      </div>
      {slides.length > 1 ? (
        <div className="promo-controls">
          <button type="button" className="kiosk-secondary" onClick={() => move(-1)}>
            <span aria-hidden="true">◀ </span>
            {t.kioskPresence.carousel.previous}
          </button>
          <button type="button" className="kiosk-secondary" onClick={() => setPaused(!paused)}>
            {paused ? t.kioskPresence.carousel.play : t.kioskPresence.carousel.pause}
          </button>
          <button type="button" className="kiosk-secondary" onClick={() => move(1)}>
            {t.kioskPresence.carousel.next}
            <span aria-hidden="true"> ▶</span>
          </button>
        </div>
      ) : null}
    </section>
  );
}
