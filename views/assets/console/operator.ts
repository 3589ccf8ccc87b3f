/** Styles and script for the console's operator pages (joined into console.css and console.js). */
export const css = ``
export const js = ``
