import { PGlite } from '@electric-sql/pglite';
let t = performance.now();
const p = new PGlite(); await p.waitReady; console.log('pglite', performance.now() - t); t = performance.now();
const d = await p.dumpDataDir('gzip'); console.log('dump', performance.now() - t, d.size); t = performance.now();
const p3 = new PGlite({ loadDataDir: d }); await p3.waitReady; console.log('load', performance.now() - t); t = performance.now();
const r = await p3.query('select 1 as x'); console.log(r.rows);
