package main

// The prose of the report, kept apart from the code that writes its tables.

const storeOpsIntro = `Each store is reached through the same gocache ` + "`lib/v4`" + ` store interface on the same server:
**plugin** is a plugcache plugin client used as a gocache store, ` + "`gocache.NewStore(mgr.ForPlugin(\"bench\").Store())`" + `
(` + "`backends/gocache`" + `); **bare** is gocache's own store (` + "`store/ristretto/v4`, `store/memcache/v4`, `store/redis/v4`" + `)
over a client configured alike. Both are called alike and both hand back the store's own value, so the difference is what
plugcache adds: the plugin's namespace and generation in the key, the envelope with expiry and checksum, and the deadline.
***Client.Get, copying*** is the plugin client's own ` + "`Get`" + `, measured in the same rounds for Get hit: it copies the value
for its caller, as its contract says, which the bare stores do not, so it is shown beside the comparison rather than in it.
**time / bare** is the median, over rounds, of the row's time per call over the bare store's in the same round (time per
call = elapsed × callers / calls). Latencies are of every 8th call; B/op and allocs/op are the heap's allocations during
the run over its calls.`

const httpIntro = `A real ` + "`net/http`" + ` server on 127.0.0.1 and a keep-alive load generator in the same process, with a fixed
number of connections, each written and read directly (` + "`internal/rawhttp`" + `: ` + "`http.ReadResponse`" + ` without
` + "`http.Transport`" + `'s goroutines, whose scheduling moved with the server's timing). **prebuilt** writes the same bytes as a hit (fields, Age, Date, Cache-Status, body) from values
built beforehand; **bare GET** does one GET with the store's own client (go-redis ` + "`Get`" + `, gomemcache ` + "`Get`" + `) and
writes the value with the same fields; **hit** is the cache middleware (` + "`Manager.Middleware`" + `) serving from the store;
**miss** asks for a new URL each time, so the origin runs and the response is stored. **vs prebuilt** and **vs bare GET**
are medians, over rounds, of req/s over the baseline's req/s in the same round. **CPU/req** is the CPU time of the
whole process, user and kernel, over the requests served, with the collection of their garbage right after each round:
the server, the load generator and the store's client, but not the store's server, which runs apart. On a shared machine it moves less than req/s, so the CPU a hit adds to a bare
GET reads better there. B/req and allocs/req count the client side too.`

const methodNotes = `- Every measurement runs in short rounds that alternate with its baseline (store ops: plugin and bare; HTTP: every
  scenario of a body size), each preceded by an unmeasured warm-up, with a GC before each round. The runs of a round
  come in groups (HTTP: the prebuilt handler with the memory hit, each bare GET with its hit, each miss alone; store
  ops: the plugin, bare and copying-client runs of one comparison), and the groups, and the runs within each, in a
  random order, so that no run keeps to one place or one predecessor. A run is slower after some others, a miss run above all: in a
  fixed order that put each hit right after its baseline and each baseline after a miss, the memory hit measured
  1.00 of the prebuilt handler, and 0.94 to 0.96 with the miss runs left out. In the rotation used before for the store
  ops, the plugin's run came after the copying client's in two rounds of three and the bare run in one, and the
  memory plugin's Get measured 0.94 to 0.97 of the bare store's; in a random order, 0.82 to 0.88. Figures are medians over
  rounds; ratios are medians of per-round ratios, so that drift on a noisy machine hits both sides alike. The HTTP
  runs take three times as long, in rounds of a fifth the length: in two runs of ten rounds of 100 ms the network
  stores' 1K hits measured 0.91 to 1.07 of their bare GETs; in fifty rounds of 20 ms one round's ratio still ranged
  from 0.75 to 1.19, and a run's median from 0.93 to 0.97.
- Sequential calls to the network stores alternate more finely: within each round, blocks of 8 to 23 calls through one
  client, then through another, in a random order, each side timed on its own calls. Rounds of 100 ms left their
  ratios off by 10% either way from one run to the next. Their times are heavy-tailed (one round's ratio at 256 KiB
  ranges from 0.7 to 1.6), so they get three times the rounds.
- On redis, in every measurement, plugcache's store and the bare clients (gocache's store, the bare GET handler's)
  share one go-redis client and so one pool of connections: the Manager gets that store in ` + "`Options.Store`" + `, with the
  same deadline per call as the store it would build. On a cluster, the plugin's and the bare client's hit keys share a
  hash tag, and the bare GET handler's key takes the hit's key as its hash tag, so both read from the same node.
- Calls carry a 1 s deadline (plugcache's ` + "`timeout`" + `), so that a busy machine shows slow calls rather than failures;
  memcached clients keep 64 idle connections (plugcache's default; gomemcache's own is 2); the bare go-redis clients
  are built by ` + "`backends/redis.NewClient`" + `, as plugcache's are: the same timeouts, retries and pool, and context
  deadlines on. The bare ristretto cache has plugcache's sizing (64 MiB, 10 counters per KiB) without
  ristretto's metrics, which plugcache turns on for Stats; its Sets wait until applied, as plugcache's do.
- Servers started by the harness: redis and each cluster node with maxmemory 1 GiB, allkeys-lru; memcached with 1 GiB
  (-m 1024), so that the miss runs, which store a response per request, do not evict what the hit runs read, and with
  one worker thread (-t 1), as redis has, so that plugin and bare are served by the same thread (with memcached's four,
  each connection had a thread of its own, and calls took 28 or 55 µs by connection). Servers given by flags are used as they are.
- A plugin Get on memcached or redis checks a CRC-32 over the value, so that damaged or foreign bytes read as a miss;
  the bare clients check nothing. At 256 KiB, on bytes fresh from the socket, it takes about 9 µs (CRC-32C took 14).
- The stampede's connections are opened first and held until all are open, then every request is released at once.
- Charts: SVG, drawn with gonum/plot.`
