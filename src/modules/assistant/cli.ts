import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { Platform } from '../../platform/platform.ts';
import { compareFeatures, evaluate, loadEvalSet } from './evaluate.ts';
import { assistantOf } from './instance.ts';
import { converse } from './routes.ts';

/** `hanaro assistant chat` (a conversation in the terminal) and `hanaro assistant eval`. */
export function assistantCli(cmd: Command, open: <T>(fn: (p: Platform) => Promise<T>) => Promise<T>): void {
  cmd
    .command('chat')
    .description('talk to the assistant in the terminal (ko or en; an empty line or Ctrl-D ends)')
    .option('--citizen <id>', 'answer as this signed-in citizen (demo data)')
    .action(async (o: { citizen?: string }) => {
      await open(async (p) => {
        await assistantOf(p);
        const rl = createInterface({ input: process.stdin, output: process.stdout });
        let sessionId: string | undefined;
        process.stdout.write('하나로 도우미 / Hanaro assistant (빈 줄로 끝내기 / empty line to quit)\n');
        for (;;) {
          const line = await rl.question('> ').catch(() => '');
          if (!line.trim()) break;
          const a = await converse(p, { sessionId, text: line, citizenId: o.citizen ?? null, channel: 'cli' });
          sessionId = a.sessionId;
          process.stdout.write(`${a.reply}\n`);
          for (const s of a.services) process.stdout.write(`  · ${s.name} (${s.url})\n`);
          for (const x of a.actions) process.stdout.write(`  → ${x.label}: ${x.url}\n`);
        }
        rl.close();
      });
    });
  cmd
    .command('eval')
    .description('intent accuracy and service-in-top-3 recall on an evaluation set')
    .option('--file <path>', 'the utterances (JSON)', 'eval/assistant/utterances.json')
    .option('--min <ratio>', 'exit 1 below this accuracy or recall', '0.9')
    .option('--misses', 'print the utterances it got wrong')
    .option('--compare-features', 'also train on whitespace words and on n-grams alone, and print each intent accuracy')
    .action(async (o: { file: string; min: string; misses?: boolean; compareFeatures?: boolean }) => {
      const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
      const r = await open(async (p) => {
        const a = await assistantOf(p);
        if (o.compareFeatures) for (const c of compareFeatures(a, loadEvalSet(o.file))) process.stdout.write(`features: ${c.features}: intent accuracy ${pct(c.intentAccuracy)}\n`);
        return evaluate(a, loadEvalSet(o.file));
      });
      process.stdout.write(`utterances: ${r.total}\nintent accuracy (top-1): ${pct(r.intentAccuracy)}\nservice in top 3: ${pct(r.serviceRecallAt3)} of ${r.withServices}\n`);
      for (const [k, v] of Object.entries(r.byIntent)) process.stdout.write(`  ${k}: ${v.correct}/${v.n}\n`);
      if (o.misses) for (const m of r.misses) process.stdout.write(`  ${m.expected} → ${m.got}: ${m.text}\n`);
      const min = Number(o.min);
      if (r.intentAccuracy < min || r.serviceRecallAt3 < min) process.exitCode = 1;
    });
}
