/** Styles and script for the console's rules pages (joined into console.css and console.js). */
export const css = ``
export const js = ``
