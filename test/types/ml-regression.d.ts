/** The part of ml-regression (no type declarations of its own) the statistics test uses. */
declare module 'ml-regression' {
  export class TheilSenRegression {
    constructor(x: readonly number[], y: readonly number[])
    slope: number
    intercept: number
  }
}
