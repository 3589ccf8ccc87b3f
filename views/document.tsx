import type { Child } from 'hono/jsx'

export interface DocumentProps {
  title: string
  stylesheets: string[]
  children: Child
}

/** The HTML shell shared by every page: no inline script or style, assets from this service. */
export function Document({ title, stylesheets, children }: DocumentProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <link rel="icon" href="data:," />
        {stylesheets.map((href) => (
          <link rel="stylesheet" href={href} />
        ))}
      </head>
      <body>{children}</body>
    </html>
  )
}
