// The elements' props for JSX hosts, shared by payex-billing-react.d.ts and
// payex-billing-preact.d.ts (which add them to React 19's and Preact's IntrinsicElements).
import type { PayexMode } from './payex-billing.js';

/** What every element takes in JSX: its attributes, and `sessionToken` (React 19 and Preact set
 * it as the element's property, never as an attribute). Listen to events through a `ref`. */
export interface PayexElementProps {
  'owner-no': string;
  mode?: PayexMode;
  locale?: string;
  'api-base'?: string;
  'vat-rates'?: string;
  country?: string;
  theme?: 'light' | 'dark';
  sessionToken?: string;
  id?: string;
  class?: string;
  className?: string;
  style?: unknown;
  lang?: string;
  ref?: unknown;
  key?: string | number;
}

/** The three elements' JSX props. */
export interface PayexIntrinsicElements {
  'payex-invoice': PayexElementProps & { 'invoice-no': string };
  'payex-invoice-list': PayexElementProps & { 'customer-no': string };
  'payex-recurring-products': PayexElementProps & { 'customer-no': string };
}
