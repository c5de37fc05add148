/**
 * Starts loading something (an SDK module and the client built from it) without waiting for it.
 * The AWS SDK and twitter-api-v2 cost ~300 ms of main-thread time to load, and a local run with
 * the generator or a replay file never uses them, so they are imported when a client is made,
 * not when the collector is. A failure surfaces where the promise is awaited (the first call),
 * never as an unhandled rejection when the client is not used.
 */
export function loadLater<T>(load: () => Promise<T>): Promise<T> {
  const loading = load();
  loading.catch(() => {});
  return loading;
}
