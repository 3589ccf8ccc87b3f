/** Styles and script for the console's webhooks pages (joined into console.css and console.js). */
export const css = ``
export const js = ``
