// Vite in middleware mode, mounted in web-test-runner: tests are transformed exactly as the build does it.
// '/' (the test page) and /__* paths (web-test-runner internals and our test endpoints) stay with web-test-runner.
import { createServer, mergeConfig } from 'vite';

const WTR_PATHS = /^\/(?:$|__)/;

export function viteBridge(viteConfig = {}) {
  let vite;
  const ensureVite = () =>
    (vite ??= createServer(
      mergeConfig(viteConfig, {
        clearScreen: false,
        logLevel: 'warn',
        appType: 'custom',
        server: { middlewareMode: true, hmr: false, ws: false },
        plugins: [
          {
            // @web/test-runner-commands imports this absolute URL; web-test-runner serves it, not Vite.
            name: 'wtr-externals',
            enforce: 'pre',
            resolveId: (id) => (id === '/__web-dev-server__web-socket.js' ? { id, external: true } : undefined),
          },
        ],
        optimizeDeps: { exclude: ['@web/test-runner-commands'] },
      }),
    ));

  const middleware = async (ctx, next) => {
    if (WTR_PATHS.test(ctx.path)) return next();
    const server = await ensureVite();
    const handled = await new Promise((resolve, reject) => {
      ctx.res.once('finish', () => resolve(true));
      server.middlewares(ctx.req, ctx.res, (err) => (err ? reject(err) : resolve(false)));
    });
    if (handled) ctx.respond = false;
    else await next();
  };

  const plugin = {
    name: 'vite-bridge',
    async serverStart() {
      await ensureVite();
    },
    async serverStop() {
      await (await vite)?.close();
    },
  };
  return { middleware, plugin };
}
