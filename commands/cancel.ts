// "Cancel" / "Not yet" beside a question (a correction, a sign-off): nothing is saved, and the question goes.
import { inPlaceOfOriginal, say } from '../src/messages/build.ts';
import { defineCommand } from './types.ts';

export const cancelCommand = defineCommand({
  name: 'cancel',
  actions: {
    cancel: async () => inPlaceOfOriginal(say('Nothing changed.')),
  },
});
