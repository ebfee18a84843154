/** Placeholder replaced by the benchmark suite. */
export async function runBench(_args: string[]): Promise<number> {
  console.log('bench: not yet implemented');
  return 0;
}
