/**
 * Korean-aware text features for the assistant (docs/assistant.md, "Understanding"). People type
 * without spaces, with typos and with Korean particles glued to every word, so a message becomes:
 *
 * - character bigrams and trigrams of each run of Hangul with the spaces taken out
 *   ("아이가태어났어요" and "아이가 태어났어요" share all of theirs; "기초연굼" still shares
 *   "기초", "초연" with "기초연금");
 * - words, and Korean words without their particle or verb ending (어간 guess: "연금을" → "연금",
 *   "받을수있나요" → "받을수있"), which carry more than any n-gram;
 * - for Latin words, the word and its character trigrams with boundaries ("^ch", "chi", "ld$"),
 *   so "chlid" still meets "child".
 *
 * Nothing is downloaded or loaded: `docs/assistant.md` compares this with whitespace words alone on
 * the evaluation set (the measured reason for n-grams over a morphological analyser, which would
 * have to ship its model).
 */

const HANGUL = /[\uac00-\ud7a3]/;
const JAMO = /[\u3131-\u318e]/;

/** Lower case, NFKC, no marks or emoji; repeated letters (ㅋㅋㅋㅋ, 요~~~) cut to two. */
export function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/(.)\1{2,}/gu, '$1$1')
    .replace(/\s+/g, ' ')
    .trim();
}

// particles and endings, longest first: a guess at the stem, good enough for matching
const SUFFIXES = [
  '었는데요', '았는데요', '했는데요', '이었어요', '였어요', '했어요', '었어요', '았어요', '할까요', '하나요', '인가요', '되나요', '있나요', '없나요', '습니다', '합니다', '입니다', '해주세요', '해줘요', '알려줘', '는데요',
  '에서는', '으로는', '에게서', '한테서', '까지는', '부터는', '이라도', '해요', '어요', '아요', '예요', '에요', '이에요', '나요', '까요', '는데', '인데', '해줘', '줘요',
  '에서', '에게', '한테', '으로', '까지', '부터', '처럼', '보다', '이랑', '하고', '이나', '이요',
  '은', '는', '이', '가', '을', '를', '에', '로', '와', '과', '도', '만', '의', '요', '랑', '나',
];

/** The word without a particle or ending (at least two syllables left), or the word. */
export function stem(word: string): string {
  if (!HANGUL.test(word)) return word;
  for (const s of SUFFIXES) {
    if (word.length - s.length >= 2 && word.endsWith(s)) return word.slice(0, -s.length);
  }
  return word;
}

/** The features of a message (with repeats: a feature seen twice counts twice). */
export function features(text: string): string[] {
  const norm = normalise(text);
  if (!norm) return [];
  const out: string[] = [];
  const words = norm.split(' ');
  for (const w of words) {
    if (HANGUL.test(w) || JAMO.test(w)) {
      out.push(`w:${w}`);
      const s = stem(w);
      if (s !== w) out.push(`w:${s}`);
    } else {
      out.push(`w:${w}`);
      if (/^[a-z]+$/.test(w) && w.length > 3) {
        const padded = `^${w}$`;
        for (let i = 0; i + 3 <= padded.length; i++) out.push(`l:${padded.slice(i, i + 3)}`);
      }
    }
  }
  // Hangul runs with the spaces taken out
  const joined = norm.replace(/ /g, '');
  const runs = joined.match(/[\uac00-\ud7a3]+/g) ?? [];
  for (const r of runs) {
    for (let i = 0; i + 2 <= r.length; i++) out.push(`k:${r.slice(i, i + 2)}`);
    for (let i = 0; i + 3 <= r.length; i++) out.push(`k:${r.slice(i, i + 3)}`);
  }
  return out;
}

/**
 * The language of asking rather than of a topic: "받을 수 있는지", "알려 주세요", "뭐가 있어요",
 * "나라에서", "했는데"; "I have", "what can we get". Retrieval leaves it out (`topicFeatures`), so
 * that a question's phrasing does not pick the services whose text happens to share it ("받을
 * 수 있는" once brought up 의료급여 for every "뭐 받을 수 있어요?"). The intent model keeps it: there
 * it tells asking apart from telling.
 */
const ASKING_KO: RegExp[] = [
  /(받을|할|될|쓸|탈|낼|들|갈)\s?수\s?(있|없)[가-힣]*/g,
  /알려\s?(주|줘|줄|달)[가-힣]*/g,
  /(해|해\s?주|주|부탁)\s?(세요|십시오|드려요|드립니다|합니다)/g,
  /(나라|정부|국가|구청|시청)(에서|가|는|서|이)?\s?(해\s?주는|주는|도와\s?주는|지원하는|하는)?/g,
  /(있|없)(나요|어요|습니까|을까요|을까|는지|나|어|음|니|냐|는|을)(?![가-힣])/g,
  /(했|하|되|됐|인|이|였|았|었|셨)(는데|던데)(요)?/g,
  /(해야|해야\s?(할|되|돼|하)[가-힣]*)/g,
  /(하나요|되나요|인가요|할까요|될까요|건가요|나요)(?![가-힣])/g,
  /(?<![가-힣])(뭐|뭐가|뭐를|뭘|무엇|무엇을|무엇이|뭔가|뭔지|어떤|어떤게|어떻게|어케|좀|다|거|것|게|등|혹시|제가|저는|저|나|내가|우리|요즘|지금|이제)(?![가-힣])/g,
];
const STOP_EN = new Set(
  ('i me my mine we our us you your he she his her it its they them their a an the is am are was were be been being have has had having do does did done ' +
    "just to of in on at for with from by about as into and or but if so than too very what whats what's which who whom whose this that these those " +
    "can could should would will shall may might must there here how when where why any some all get gets got getting want wants need needs please pls plz " +
    "im i'm ive i've dont don't cant can't is isnt also really now anything something government govt tell know let like thing things there's theres any").split(' '),
);

/** The features of a message's topic: `features` of what is left when the language of asking is taken out. */
export function topicFeatures(text: string): string[] {
  let norm = normalise(text);
  for (const re of ASKING_KO) norm = norm.replace(re, '  ');
  // each piece on its own: a removed phrase or a stop word ends one (the Hangul n-grams of
  // `features` would otherwise join across it)
  const pieces: string[] = [];
  let current: string[] = [];
  for (const w of [...norm.split(' '), '']) {
    if (w && !STOP_EN.has(w)) current.push(w);
    else if (current.length) {
      pieces.push(current.join(' '));
      current = [];
    }
  }
  return pieces.flatMap((p) => features(p));
}

/** Whitespace words only: the baseline the n-gram features are measured against. */
export function wordFeatures(text: string): string[] {
  const norm = normalise(text);
  return norm ? norm.split(' ').map((w) => `w:${w}`) : [];
}

/** ko when the message has any Hangul (or Hangul jamo), else en. */
export function languageOf(text: string): 'ko' | 'en' {
  return HANGUL.test(text) || JAMO.test(text) ? 'ko' : 'en';
}
