// `kpi risks [theme <name> | mine | high] [--as <email>] [--out heatmap.png] [--card]`: the risk register
// as `/kpi risks` gives it in chat — every risk highest first with its score, band and trend, the ones
// above appetite marked — and, with --out, the heat map as a PNG.
import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { createChartRenderer } from '../../charts/render.ts';
import { bandsWords } from '../../domain/risks.ts';
import { heatMapOf, listRisks, riskLine, RISKS_USAGE } from '../../services/risks.ts';
import { namesOf } from '../../services/actions.ts';
import { UserError } from '../../errors.ts';
import { plainMarkup } from '../../messages/markup.ts';
import { withDatabase } from '../context.ts';


export function addRisksCommand(program: Command): void {
  program
    .command('risks')
    .description('the risk register, highest score first, with the risks above appetite; --out writes the heat map')
    .argument('[words...]', `${RISKS_USAGE.replace(/^risks /, '')} — "mine" takes --as`)
    .option('--as <email>', 'whose risks "mine" lists')
    .option('--out <file.png>', 'write the heat map (PNG) there')
    .option('--card', 'draw the heat map for a phone (600 px at twice the pixels)')
    .action(async (words: string[], opts: { as?: string; out?: string; card?: boolean }) => {
      await withDatabase(async ({ repo }) => {
        const org = await repo.org();
        const person = opts.as ? await repo.personByEmail(opts.as) : null;
        if (opts.as && !person) throw new UserError(`--as: nobody in the register has the e-mail ${opts.as}.`);
        const { title, risks, above, matrix } = await listRisks(repo, org, words.join(' '), person);
        console.log(`${title}: ${risks.length} risk${risks.length === 1 ? '' : 's'}, ${above.length} above appetite (scores over ${matrix.appetite}); bands ${bandsWords(matrix.bands, matrix.scale)}`);
        const owners = await namesOf(repo, risks.map((r) => r.ownerId));
        for (const r of risks) console.log(plainMarkup(riskLine(r, matrix, r.ownerId === null ? null : (owners.get(r.ownerId) ?? null))));
        if (!opts.out) return;
        const chart = await createChartRenderer().render(heatMapOf(`${title}: likelihood × impact`, risks, matrix), { size: opts.card ? 'card' : 'standard' });
        await writeFile(opts.out, chart.png);
        console.log(`Heat map: ${opts.out} (${chart.width}×${chart.height})`);
      });
    });
}
