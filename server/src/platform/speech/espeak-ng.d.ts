// The npm package espeak-ng ships no types: an Emscripten module factory (MODULARIZE, ES6).
declare module 'espeak-ng' {
  interface EspeakModuleOptions {
    noInitialRun?: boolean;
    arguments?: string[];
    print?: (text: string) => void;
    printErr?: (text: string) => void;
    instantiateWasm?: (imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => object;
  }
  export interface EspeakModule {
    FS: { writeFile(path: string, data: string | Uint8Array): void; readFile(path: string): Uint8Array; unlink(path: string): void };
    HEAPU8: Uint8Array;
    HEAPU32: Uint32Array;
  }
  const ESpeakNg: (options: EspeakModuleOptions) => Promise<EspeakModule>;
  export default ESpeakNg;
}
