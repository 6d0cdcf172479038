/**
 * The TypeScript helpers that suomifi-ui-components' ES modules import from 'tslib', which the
 * package uses without declaring it as a dependency (so npm does not install it). vite.config.ts
 * aliases 'tslib' here. Only the helpers the library uses; same behaviour as tslib's.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

export const __assign: (target: any, ...sources: any[]) => any = Object.assign;

export function __rest(source: any, exclude: (string | symbol)[]): any {
  const out: any = {};
  for (const key in source) if (Object.prototype.hasOwnProperty.call(source, key) && !exclude.includes(key)) out[key] = source[key];
  if (source != null && typeof Object.getOwnPropertySymbols === 'function')
    for (const symbol of Object.getOwnPropertySymbols(source))
      if (!exclude.includes(symbol) && Object.prototype.propertyIsEnumerable.call(source, symbol)) out[symbol] = source[symbol];
  return out;
}

export function __makeTemplateObject(cooked: string[], raw: string[]): TemplateStringsArray {
  if (Object.defineProperty) Object.defineProperty(cooked, 'raw', { value: raw });
  else (cooked as any).raw = raw;
  return cooked as unknown as TemplateStringsArray;
}

export function __spreadArray(to: any[], from: any, pack?: boolean): any[] {
  if (pack || arguments.length === 2) {
    let copy: any[] | undefined;
    for (let i = 0, l = from.length; i < l; i++) {
      if (copy || !(i in from)) {
        copy ??= Array.prototype.slice.call(from, 0, i);
        copy[i] = from[i];
      }
    }
    return to.concat(copy ?? Array.prototype.slice.call(from));
  }
  return to.concat(Array.prototype.slice.call(from));
}

export function __extends(derived: any, base: any): void {
  if (typeof base !== 'function' && base !== null) throw new TypeError(`Class extends value ${String(base)} is not a constructor or null`);
  Object.setPrototypeOf(derived, base);
  function Prototype(this: any) {
    this.constructor = derived;
  }
  derived.prototype = base === null ? Object.create(base) : ((Prototype.prototype = base.prototype), new (Prototype as any)());
}
