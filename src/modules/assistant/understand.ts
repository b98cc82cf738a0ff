import { IntentClassifier, type Prediction } from './classifier.ts';
import { TRAINING, type IntentName } from './data/training.ts';
import { matchText, situationsOf } from './lexicon.ts';
import type { ServiceIndex } from './retrieval.ts';
import { features, normalise } from './text.ts';

/**
 * Understanding a message: the intent model over text features plus what the assistant knows
 * about the message's meaning (a programme named, a life situation described, a cue such as
 * "eligible" or "when"), so that "실직했어요" (a situation) and "실업급여 받을 수 있어요?" (a named
 * programme and an eligibility cue) part even when their words are few. Trained at start from
 * data/training.ts; evaluated on eval/assistant/utterances.json (`npm run eval:assistant`).
 */

const CUES: Array<[string, RegExp]> = [
  ['eligible', /신청\s?가능|(참여|이용|가입|신청)\s?(할\s?수|가능)|할\s?수\s?있는지|되는지|받을\s?수|받을수|받을 ?수|대상(자|인|이)|자격|해당(되|돼|하)|가능(해|한|할|하)|될까|되나요|돼요\?|되나\b|될까요|eligible|qualif|can i (get|apply|receive|still|join|sign up|use)|am i|do i (get|qualify|meet)|entitled|allowed/],
  ['amount', /얼마|금액|몇\s?(프로|퍼센트|개월|번|원)|금리|요금|how much|amount|rate\b|interest/],
  ['how', /방법|어떻게|어디서|어디로|절차|신청(은|하려면)|how (do|to|can|does)|where (do|can)|procedure|steps/],
  ['documents', /서류|준비물|가져가|구비|documents?|paperwork|what do i (need|bring)/],
  ['what', /뭐(예|에)요|뭔가요|무엇|뭐야|란\??$|이란|설명(해|좀|부탁)|what is|what's|what are|explain|tell me (about|more)/],
  ['period', /기간|까지|마감|기한|deadline|until|by when|period|expire|만료/],
  ['when', /언제|when\b|며칠|날짜|date/],
  ['mine', /\b(my|mine)\b|내\s|제\s|저의|나의|우리\s/],
  ['status', /처리|진행|상태|됐(나|는지|어)|결과|심사|접수(번호|된)|조회|결정|승인|status|approved|processed|heard|pending|went through|track/],
  ['wallet', /지갑|모바일\s?(신분증|주민|면허|증)|폰에|휴대폰에|핸드폰에|전자증명|wallet|digital (id|licen|card|copy)|mobile id|qr/],
  ['report', /신고|고장|민원|불법|쓰레기|소음|파손|구멍|몰래\s?버|버리고\s?(갔|가|간)|방치|무단|투기|쓰러져|넘어져|막혀|깨져|report|broken|complain|pothole|dump|noise|illegal|streetlight|street light|abandoned|blocked|knocked over|fallen/],
  ['private', /소송|고소|변호사|재판|보증금.{0,8}(안|못)\s?(돌려|줘|받)|빌려\s?준\s?돈|돈(을)?\s?(안|못)\s?갚|lawsuit|\bsue\b|lawyer|landlord|owes? me|court case/],
  ['symptom', /아파(요|서)?|아픈데|통증|쑤셔|디스크|열이\s?나|기침|hurts?\b|\bpain\b|ache|symptom|fever|cough/],
  ['chitchat', /몇\s?살|나이(가|는|가요)|좋아하는|심심|사랑해|결혼했|애인|how old are you|are you (a )?(human|real|robot|person)|favou?rite|do you like|i'?m bored|love you/],
  ['greet', /^(안녕|하이|ㅎㅇ|hi|hello|hey|고마|감사|ㄱㅅ|thanks?|thx|bye|잘\s?가)/],
  ['capability', /할 수 있|할수있|뭐 해|뭘 해|기능|도와줄|어케\s?(해|써|하|쓰)|사용법|쓰는\s?(법|방법)|처음\s?(써|사용|이용)|what can you|can you do|how (do i use|does this work)|who are you|누구(야|세요)/],
];

/** The intent model's features: the text's, and the meaning cues. */
export function meaningFeatures(index: ServiceIndex): (text: string) => string[] {
  return (text: string) => {
    const out = features(text);
    const norm = normalise(text);
    const m = matchText(norm);
    if (index.named(text)) out.push('x:named', 'x:named');
    const sits = situationsOf(m);
    if (sits.length) out.push('x:situation', 'x:situation');
    for (const s of sits) out.push(`x:sit:${s.name}`);
    for (const [name, re] of CUES) if (re.test(norm) || re.test(text.toLowerCase())) out.push(`x:cue:${name}`, `x:cue:${name}`);
    return out;
  };
}

/** Korean examples also without their spaces (people type both ways). */
function augmented(examples: Record<IntentName, string[]>): Record<IntentName, string[]> {
  const out = {} as Record<IntentName, string[]>;
  for (const [k, list] of Object.entries(examples) as Array<[IntentName, string[]]>) {
    out[k] = [...list, ...list.filter((t) => /[\uac00-\ud7a3]/.test(t) && t.includes(' ')).map((t) => t.replace(/ /g, ''))];
  }
  return out;
}

export type Understanding = Prediction<IntentName>;

/** The intent model, on the shipped features (or others, to compare them: `hanaro assistant eval --compare-features`). */
export function trainIntents(index: ServiceIndex, featurise: (text: string) => string[] = meaningFeatures(index)): IntentClassifier<IntentName> {
  return IntentClassifier.train(augmented(TRAINING), featurise);
}
