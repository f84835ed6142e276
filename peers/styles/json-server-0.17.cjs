// json-server 0.17 (CommonJS) as a library, on 127.0.0.1 and a port the OS picks.
//
//   node json-server-0.17.cjs <json-server package dir> [posts]
//
// Serves `posts` posts (default 500), `{"id": N, "title": "post-000N"}` for N = 1..posts, from
// memory (json-server's own lowdb Memory adapter: nothing is written to disk), exactly as
// `json-server db.json` would serve them, and prints `listening on 127.0.0.1:PORT` once the
// socket listens. The CLI cannot be used: with `--port 0` it listens on a free port but prints
// `http://localhost:0`.
// `GET /posts?_page=N&_limit=M` answers a bare JSON array with `Link` (first/prev/next/last)
// and `X-Total-Count`; `GET /posts` answers every post.
// With PAGINATE_STYLES_EXIT_ON_EOF=1 (the tests set it) the server exits when its stdin closes.
'use strict'

const [, , packageDir, count = '500'] = process.argv
if (!packageDir) {
  console.error('usage: node json-server-0.17.cjs <json-server package dir> [posts]')
  process.exit(2)
}
const posts = Number.parseInt(count, 10)
if (!(posts >= 0)) {
  console.error(`not a number of posts: ${count}`)
  process.exit(2)
}

const jsonServer = require(packageDir)
const data = {
  posts: Array.from({ length: posts }, (_, i) => ({
    id: i + 1,
    title: `post-${String(i + 1).padStart(4, '0')}`,
  })),
}

const app = jsonServer.create()
// No request log, no static files (json-server would serve ./public from the working directory).
app.use(jsonServer.defaults({ logger: false, static: __dirname + '/no-static-files' }))
app.use(jsonServer.router(data))
const server = app.listen(0, '127.0.0.1', () => {
  const { address, port } = server.address()
  console.log(`listening on ${address}:${port}`)
})
process.on('SIGTERM', () => process.exit(0))
process.on('SIGINT', () => process.exit(0))
// Started by the tests: stop when they do, even when they are killed (their end of stdin closes).
if (process.env.PAGINATE_STYLES_EXIT_ON_EOF === '1') {
  process.stdin.on('end', () => process.exit(0)).on('error', () => process.exit(0)).resume()
}
