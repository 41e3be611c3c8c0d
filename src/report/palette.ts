/**
 * Colours and marks for methods, the same in every chart of a report or comparison: each method *name* (the
 * suite's `name`, before sweep values) gets the next colour of the Okabe-Ito palette (Okabe & Ito, "Color
 * Universal Design", 2008: distinguishable under the common colour-vision deficiencies), in the order the names
 * first appear in the baseline results; the variants of a swept method share their name's colour.
 */

/** Okabe-Ito colours, yellow last (it is faint on white); black for a ninth method, then the cycle repeats. */
export const OKABE_ITO = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'] as const;

/** Point styles chart.js draws, cycled with the colours so that methods differ in shape as well. */
export const POINT_STYLES = ['circle', 'rect', 'triangle', 'rectRot', 'crossRot', 'star', 'rectRounded', 'cross'] as const;

/** The colour and point style of each method name. */
export class MethodPalette {
  private readonly order: string[] = [];

  /** @param names method names in the order they should take colours (duplicates ignored). */
  constructor(names: Iterable<string>) {
    for (const n of names) if (!this.order.includes(n)) this.order.push(n);
  }

  private index(name: string): number {
    let i = this.order.indexOf(name);
    if (i < 0) {
      this.order.push(name);
      i = this.order.length - 1;
    }
    return i;
  }

  /** Hex colour of a method name. */
  colour(name: string): string {
    return OKABE_ITO[this.index(name) % OKABE_ITO.length];
  }

  /** The colour with an alpha channel (0-1), as chart.js reads it ('#rrggbbaa'). */
  translucent(name: string, alpha: number): string {
    return (
      this.colour(name) +
      Math.round(Math.min(1, Math.max(0, alpha)) * 255)
        .toString(16)
        .padStart(2, '0')
    );
  }

  /** Point style of a method name. */
  pointStyle(name: string): (typeof POINT_STYLES)[number] {
    return POINT_STYLES[this.index(name) % POINT_STYLES.length];
  }
}
