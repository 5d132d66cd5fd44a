// The demo as a seed for a new embedded database (src/db/image.ts): the prepared image holds the
// migrated schema with the demo organisation already written, so a first start copies it instead
// of writing the demo through the ORM. The image is rebuilt whenever the code that writes the demo
// (anything under src/, or dist/ in the build) or the migrations change.
import { CODE_DIR } from '../paths.ts';
import type { Seed } from '../db/image.ts';

export const DEMO_SEED: Seed = {
  name: 'demo',
  inputs: [CODE_DIR],
  async build(prisma) {
    const { loadDemo } = await import('./demo.ts');
    await loadDemo(prisma, new Date());
  },
};
