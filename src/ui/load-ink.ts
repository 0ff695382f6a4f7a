/**
 * Before a view loads React: its production build. The development build checks every element
 * (≈40 % of a redraw of the monitor view), and loadplan's views are not developed in a user's
 * terminal. A value the user set is kept.
 */
export function preferProductionReact(): void {
  process.env.NODE_ENV ??= 'production'
}
