/** Styles and script for the console's claims pages (joined into console.css and console.js). */
export const css = ``
export const js = ``
