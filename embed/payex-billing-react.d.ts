// React 19: `import type {} from './payex-billing-react';` once, and the elements type-check in JSX.
import type { PayexIntrinsicElements } from './payex-billing-jsx.js';
export * from './payex-billing.js';

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements extends PayexIntrinsicElements {}
  }
}
