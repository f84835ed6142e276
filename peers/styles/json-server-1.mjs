// json-server 1.x (ESM) as a library, on 127.0.0.1 and a port the OS picks.
//
//   node json-server-1.mjs <json-server package dir> [posts]
//
// Serves `posts` posts (default 3000), `{"id": N, "title": "post-000N"}` for N = 1..posts,
// set up as json-server's own CLI (lib/bin.js) sets up a db.json: lowdb through json-server's
// NormalizedAdapter (which turns numeric ids into strings: ids are served as "1", "2", …), but
// over lowdb's Memory adapter instead of a watched file, so nothing is written to disk. Prints
// `listening on 127.0.0.1:PORT` once the socket listens. The CLI cannot be used: with
// `--port 0` it listens on a free port but prints `PORT :0`.
// `GET /posts?_page=N&_per_page=M` answers
// `{"first":1,"prev":…,"next":…,"last":…,"pages":…,"items":…,"data":[…]}`; `GET /posts`
// answers every post.
// With PAGINATE_STYLES_EXIT_ON_EOF=1 (the tests set it) the server exits when its stdin closes.
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const [, , packageDir, count = '3000'] = process.argv
if (!packageDir) {
  console.error('usage: node json-server-1.mjs <json-server package dir> [posts]')
  process.exit(2)
}
const posts = Number.parseInt(count, 10)
if (!(posts >= 0)) {
  console.error(`not a number of posts: ${count}`)
  process.exit(2)
}

// json-server 1.x has no `exports`: its modules are imported by path, and lowdb is the one
// json-server itself depends on (resolved from json-server's own directory).
const fromPackage = (file) => import(pathToFileURL(join(packageDir, file)).href)
const require = createRequire(join(packageDir, 'package.json'))
const { createApp } = await fromPackage('lib/app.js')
const { NormalizedAdapter } = await fromPackage('lib/adapters/normalized-adapter.js')
const { Low, Memory } = await import(pathToFileURL(require.resolve('lowdb')).href)

const memory = new Memory()
await memory.write({
  posts: Array.from({ length: posts }, (_, i) => ({
    id: i + 1,
    title: `post-${String(i + 1).padStart(4, '0')}`,
  })),
})
const db = new Low(new NormalizedAdapter(memory), {})
await db.read()

const app = createApp(db, { logger: false, static: [] })
const server = app.listen(
  0,
  () => {
    const { address, port } = server.address()
    console.log(`listening on ${address}:${port}`)
  },
  '127.0.0.1',
)
process.on('SIGTERM', () => process.exit(0))
process.on('SIGINT', () => process.exit(0))
// Started by the tests: stop when they do, even when they are killed (their end of stdin closes).
if (process.env.PAGINATE_STYLES_EXIT_ON_EOF === '1') {
  process.stdin.on('end', () => process.exit(0)).on('error', () => process.exit(0)).resume()
}
