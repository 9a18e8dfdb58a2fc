// Preact: `import type {} from './payex-billing-preact';` once, and the elements type-check in JSX.
import type { PayexIntrinsicElements } from './payex-billing-jsx.js';
export * from './payex-billing.js';

declare module 'preact' {
  namespace JSX {
    interface IntrinsicElements extends PayexIntrinsicElements {}
  }
}
