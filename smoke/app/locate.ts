import { expect, type FrameLocator, type Locator, type Page } from '@playwright/test';
import { textMatcher, urlMatcher, type LocatorSpec, type Marker } from '../../src/config/profile.js';

type Scope = Page | FrameLocator | Locator;
type AriaRole = Parameters<Page['getByRole']>[0];

/** Builds the Playwright locator a profile entry describes (role/label/placeholder/text/testId/title, optionally within another). */
export function locate(root: Scope, spec: LocatorSpec): Locator {
  const scope = spec.within === undefined ? root : locate(root, spec.within);
  let found: Locator;
  if (spec.role !== undefined) {
    found = scope.getByRole(spec.role as AriaRole, {
      ...(spec.name === undefined ? {} : { name: textMatcher(spec.name) }),
      ...(spec.exact === undefined ? {} : { exact: spec.exact }),
    });
  } else if (spec.label !== undefined) found = scope.getByLabel(textMatcher(spec.label));
  else if (spec.placeholder !== undefined) found = scope.getByPlaceholder(textMatcher(spec.placeholder));
  else if (spec.text !== undefined) found = scope.getByText(textMatcher(spec.text));
  else if (spec.testId !== undefined) found = scope.getByTestId(spec.testId);
  else found = scope.getByTitle(textMatcher(spec.title!));
  if (spec.or !== undefined) found = found.or(locate(root, spec.or));
  return spec.first === true ? found.first() : found;
}

const show = (text: string): string => (typeof textMatcher(text) === 'string' ? JSON.stringify(text) : text);

/** How a person reads the locator in an error: `getByRole('button', { name: /^pay/i }) inside getByRole('main')`. */
export function describeLocator(spec: LocatorSpec): string {
  let own: string;
  if (spec.role !== undefined) own = `getByRole('${spec.role}'${spec.name === undefined ? '' : `, { name: ${show(spec.name)} }`})`;
  else if (spec.label !== undefined) own = `getByLabel(${show(spec.label)})`;
  else if (spec.placeholder !== undefined) own = `getByPlaceholder(${show(spec.placeholder)})`;
  else if (spec.text !== undefined) own = `getByText(${show(spec.text)})`;
  else if (spec.testId !== undefined) own = `getByTestId(${JSON.stringify(spec.testId)})`;
  else own = `getByTitle(${show(spec.title ?? '')})`;
  const scoped = spec.within === undefined ? own : `${own} inside ${describeLocator(spec.within)}`;
  return spec.or === undefined ? scoped : `${scoped} or ${describeLocator(spec.or)}`;
}

/**
 * One element of the app as the profile describes it. Its failures name the config field and the locator
 * it tried, so a person knows what to change (`app.payment.pay: no element matched getByRole(…)`).
 */
export class AppElement {
  readonly locator: Locator;

  constructor(
    root: Scope,
    readonly field: string,
    readonly spec: LocatorSpec,
  ) {
    this.locator = locate(root, spec);
  }

  get what(): string {
    return `app.${this.field} (${describeLocator(this.spec)})`;
  }

  private async act<T>(verb: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      const first = ((error as Error).message ?? String(error)).split('\n')[0];
      throw new Error(`could not ${verb} ${this.what}: ${first}. Check the app profile's ${this.field} in your config.`, {
        cause: error,
      });
    }
  }

  click(): Promise<void> {
    return this.act('click', () => this.locator.click());
  }

  fill(value: string): Promise<void> {
    return this.act('fill in', () => this.locator.fill(value));
  }

  async expectVisible(timeout?: number): Promise<void> {
    await expect(this.locator.first(), `${this.what} should be visible`).toBeVisible(timeout === undefined ? {} : { timeout });
  }

  /** A frame inside this element (an iframe located by the profile, e.g. Plaid Link's). */
  frame(): FrameLocator {
    return this.locator.first().contentFrame();
  }
}

/**
 * How long a success marker may take to appear. Markers follow an action that navigates (a form post,
 * a redirect back from Checkout), so they get a navigation's allowance, not the 5 s expect default: on a
 * busy machine the app's answer plus the navigation can exceed 5 s although nothing is wrong.
 */
export const MARKER_TIMEOUT_MS = 15_000;

/** Waits until the page shows a success marker: its URL matches, and/or a text is visible. */
export async function expectMarker(page: Page, marker: Marker, field: string, timeout = MARKER_TIMEOUT_MS): Promise<void> {
  const options = { timeout };
  if (marker.url !== undefined)
    await expect(page, `app.${field}.url: the page URL should match ${marker.url}`).toHaveURL(urlMatcher(marker.url), options);
  if (marker.text !== undefined)
    await expect(page.getByText(textMatcher(marker.text)).first(), `app.${field}.text: "${marker.text}" should be visible`).toBeVisible(
      options,
    );
}
