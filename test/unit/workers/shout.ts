// Imported by echo-worker.ts: TypeScript the worker's bundle must carry.
export interface Shouted {
  text: string;
  from: string;
}

export const shout = (s: string, from: string): Shouted => ({ text: `${s.toUpperCase()}!`, from });
