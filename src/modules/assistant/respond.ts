import type { Platform } from '../../platform/platform.ts';
import { applicationsOf, BUNDLES, explainText, isOptedIn, ruleInForce, screenCitizen, seoulDate, type Facts, type ServiceInfo } from '../services/index.ts';
import type { IntentName } from './data/training.ts';
import { FaqIndex } from './faq-index.ts';
import { matchText, regionOf, situationsOf } from './lexicon.ts';
import { ServiceIndex } from './retrieval.ts';
import { parseAnswer, questionFor, setFact } from './slots.ts';
import { languageOf, normalise } from './text.ts';
import { trainIntents } from './understand.ts';
import type { IntentClassifier } from './classifier.ts';

/**
 * The assistant's answers (docs/assistant.md): the intent decides what to do; every statement
 * about a service comes from its catalogue entry (cited in `sources`), and eligibility is only
 * ever stated as the eligibility engine computed it, on the registries' facts (a signed-in
 * citizen who asked for benefit alerts) or on what the person answered, one question at a time.
 */

type Lang = 'ko' | 'en';
export interface Link {
  label: string;
  url: string;
}
export interface Answer {
  reply: string;
  lang: Lang;
  intent: IntentName | 'answer';
  confidence: number;
  services: Array<{ id: string; name: string; url: string }>;
  actions: Link[];
  sources: Array<{ id: string; title: string; url: string }>;
}

/** What a conversation remembers between messages (kept with its session, for 30 days at most). */
export interface SessionState {
  lastServiceId?: string;
  /** An eligibility check waiting for the person's answer. */
  pending?: { serviceId: string; facts: Record<string, unknown>; asking: string; asked: number };
}

export interface Context {
  citizenId?: string;
  lang?: Lang;
}

const MAX_QUESTIONS = 6;
const CALL_CENTRE: Record<Lang, Link> = { ko: { label: '정부민원안내콜센터 110', url: 'tel:110' }, en: { label: 'Government call centre 110', url: 'tel:110' } };
const serviceUrl = (id: string) => `/services/${encodeURIComponent(id)}`;

const T = {
  greeting: { ko: '안녕하세요, 하나로 도우미입니다. 받을 수 있는 혜택, 서비스 신청 방법, 신청 현황, 기한, 전자증명서를 물어보세요.', en: 'Hello, I am the Hanaro assistant. Ask me about benefits, how to apply, your applications, due dates or digital documents.' },
  help: {
    ko: '이런 걸 도와드려요: "아이가 태어났어요"처럼 상황을 말하면 맞는 서비스를 찾고, "기초연금 받을 수 있나요?"처럼 물으면 자격을 확인하며(필요한 것만 하나씩 여쭙니다), 서비스의 대상·금액·신청 방법·서류·기한을 알려 드리고, 신청 현황과 자동차 검사 같은 기한, 전자지갑에 증명서 담기를 안내합니다.',
    en: 'I can find services for your situation ("I just had a baby"), check whether you qualify for a programme ("am I eligible for the basic pension?", asking only what I need, one question at a time), explain who gets a service, how much, how to apply, the documents and the deadline, and help with your applications, due dates and wallet documents.',
  },
  outOfScope: { ko: '죄송하지만 그 질문은 제가 도와드리기 어렵습니다. 정부 서비스에 관해 물어봐 주세요. 다른 민원은 정부민원안내콜센터(국번 없이 110)에서 안내해 드립니다.', en: "Sorry, I can't help with that. Ask me about government services; for anything else the government call centre (110) can help." },
  notUnderstood: { ko: '잘 이해하지 못했어요. 상황이나 서비스 이름을 넣어 다시 물어봐 주세요. 예: "이사했는데 뭐 해야 해요?", "부모급여 얼마예요?"', en: 'Sorry, I did not understand. Try again with your situation or a programme\'s name, e.g. "I moved, what do I need to do?" or "how much is the parental benefit?"' },
  noService: { ko: '어떤 서비스를 말씀하시는지 찾지 못했어요. 서비스 이름을 알려 주세요.', en: "I couldn't tell which programme you mean. What is it called?" },
  report: {
    ko: '불편 사항은 국민신문고(www.epeople.go.kr)에, 도로 파손·불법 주정차 같은 안전 위험은 안전신문고 앱에 사진과 함께 신고하면 담당 기관으로 바로 전달됩니다. 하나로 서비스의 오류라면 화면과 시각을 적어 110으로 알려 주세요.',
    en: 'Report a complaint on e-People (www.epeople.go.kr), and safety hazards such as potholes or illegal parking in the Safety Report app with a photo: it goes straight to the responsible office. For a fault in Hanaro itself, tell the 110 call centre what you saw and when.',
  },
  wallet: { ko: '전자증명서는 "내 전자증명서"에서 신청해 전자지갑에 담을 수 있어요. 모바일 신분증, 운전면허증, 가족관계·납세·건강보험 증명서 등이 있고, 지갑의 증명서는 인터넷 없이도 보여 줄 수 있습니다.', en: 'Ask for a digital document under "My documents" and keep it in your wallet: the mobile ID, driving licence, family relation, tax and insurance certificates and more. Documents in the wallet can be shown offline.' },
  signIn: { ko: '로그인하면 내 신청 현황을 알려 드릴 수 있어요.', en: 'Sign in and I can tell you how your applications are going.' },
};

const ASPECTS: Array<{ re: RegExp; field: 'benefit' | 'howToApply' | 'documents' | 'deadline' | 'target' | 'contact'; title: { ko: string; en: string } }> = [
  { re: /얼마|금액|몇\s?(프로|퍼센트|개월)|금리|요금|how much|amount|rate|pay(s|ment)?\b/, field: 'benefit', title: { ko: '지원 내용', en: 'What it gives' } },
  { re: /서류|준비물|가져가|구비|documents?|paperwork|bring/, field: 'documents', title: { ko: '구비서류', en: 'Documents' } },
  { re: /기간|언제까지|마감|기한|deadline|until|period|when/, field: 'deadline', title: { ko: '신청 기한', en: 'Deadline' } },
  { re: /누가|대상|자격|조건|who|eligib|criteria/, field: 'target', title: { ko: '지원 대상', en: 'Who can get it' } },
  { re: /문의|전화|연락|contact|call|phone/, field: 'contact', title: { ko: '문의처', en: 'Contact' } },
  { re: /방법|어떻게|어디서|절차|신청|how|where|apply/, field: 'howToApply', title: { ko: '신청 방법', en: 'How to apply' } },
];

export class Assistant {
  private constructor(
    private readonly platform: Platform | undefined,
    readonly index: ServiceIndex,
    readonly model: IntentClassifier<IntentName>,
    readonly faq: FaqIndex,
  ) {}

  /** Builds the index from the catalogue and trains the intent model (about a second). */
  static build(services: ServiceInfo[], platform?: Platform): Assistant {
    const index = new ServiceIndex(services);
    return new Assistant(platform, index, trainIntents(index), new FaqIndex());
  }

  private cite(s: ServiceInfo, lang: Lang) {
    return { id: s.id, title: s.name[lang], url: serviceUrl(s.id) };
  }
  private listed(list: ServiceInfo[], lang: Lang) {
    return list.map((s) => ({ id: s.id, name: s.name[lang], url: serviceUrl(s.id) }));
  }
  private answer(lang: Lang, intent: Answer['intent'], confidence: number, reply: string, more: Partial<Omit<Answer, 'reply' | 'lang' | 'intent' | 'confidence'>> = {}): Answer {
    return { reply, lang, intent, confidence, services: more.services ?? [], actions: more.actions ?? [], sources: more.sources ?? [] };
  }

  /** The services a message is about: the one it names first, then the best found (top 3). */
  services(text: string, region?: string, known?: { named: ServiceInfo | undefined }): ServiceInfo[] {
    const named = known ? known.named : this.index.named(text);
    const found = this.index.search(text, { limit: 4, region }).map((h) => h.service);
    return (named ? [named, ...found.filter((s) => s.id !== named.id)] : found).slice(0, 3);
  }

  async respond(state: SessionState, text: string, ctx: Context = {}): Promise<{ answer: Answer; state: SessionState }> {
    const lang: Lang = ctx.lang ?? languageOf(text);
    if (state.pending) {
      const r = await this.continueCheck(state, text, lang);
      if (r) return r;
    }
    const u = this.model.predict(text);
    const norm = normalise(text);
    let intent = u.label;
    const named = this.index.named(text);
    // unsure: a named programme is explained, a described situation searched, else we say so
    if (u.confidence < 0.35) {
      const sits = situationsOf(matchText(norm));
      if (named && intent !== 'check_eligibility') intent = 'explain_service';
      else if (sits.length && !named) intent = 'find_services';
      else if (!named) return { answer: this.answer(lang, intent, u.confidence, T.notUnderstood[lang], { actions: [CALL_CENTRE[lang]] }), state };
    }
    const next: SessionState = { ...state, pending: undefined };
    switch (intent) {
      case 'greeting':
        return { answer: this.answer(lang, intent, u.confidence, T.greeting[lang]), state: next };
      case 'help':
        return { answer: this.answer(lang, intent, u.confidence, T.help[lang], { actions: [{ label: lang === 'ko' ? '서비스 찾기' : 'Find services', url: '/services' }] }), state: next };
      case 'out_of_scope':
        return { answer: this.answer(lang, intent, u.confidence, T.outOfScope[lang], { actions: [CALL_CENTRE[lang]] }), state: next };
      case 'report_problem':
        return { answer: this.answer(lang, intent, u.confidence, T.report[lang], { actions: [{ label: lang === 'ko' ? '국민신문고' : 'e-People', url: 'https://www.epeople.go.kr' }, CALL_CENTRE[lang]] }), state: next };
      case 'wallet_document': {
        const f = this.faq.best(text);
        const extra = f && f.score >= 0.35 ? `\n${f.entry.a[lang]}` : '';
        return {
          answer: this.answer(lang, intent, u.confidence, `${T.wallet[lang]}${extra}`, {
            actions: [{ label: lang === 'ko' ? '내 전자증명서' : 'My documents', url: '/documents' }, { label: lang === 'ko' ? '전자지갑' : 'Wallet', url: '/wallet' }],
            sources: f && f.score >= 0.35 ? [{ id: `faq:${f.entry.id}`, title: f.entry.q[lang], url: `/assistant/faq#${f.entry.id}` }] : [],
          }),
          state: next,
        };
      }
      case 'application_status':
        return { answer: await this.status(ctx, lang, u.confidence), state: next };
      case 'find_services':
        return { answer: await this.find(text, ctx, lang, u.confidence, named), state: next };
      case 'explain_service':
      case 'due_dates': {
        const s = named ?? (state.lastServiceId ? this.index.service(state.lastServiceId) : undefined) ?? this.services(text)[0];
        if (!s) return { answer: this.answer(lang, intent, u.confidence, T.noService[lang]), state: next };
        const a = intent === 'due_dates' ? await this.due(s, ctx, lang, u.confidence) : this.explain(s, norm, lang, u.confidence);
        return { answer: a, state: { ...next, lastServiceId: s.id } };
      }
      case 'check_eligibility': {
        const s = named ?? (state.lastServiceId ? this.index.service(state.lastServiceId) : undefined) ?? this.services(text)[0];
        if (!s) return { answer: this.answer(lang, intent, u.confidence, T.noService[lang]), state: next };
        return this.check(s, ctx, lang, u.confidence, { ...next, lastServiceId: s.id });
      }
    }
  }

  private explain(s: ServiceInfo, norm: string, lang: Lang, confidence: number): Answer {
    const asked = ASPECTS.filter((a) => a.re.test(norm));
    const parts = asked.length ? asked.slice(0, 2) : [ASPECTS.find((a) => a.field === 'target')!, ASPECTS.find((a) => a.field === 'benefit')!, ASPECTS.find((a) => a.field === 'howToApply')!];
    const lines = parts.map((a) => {
      const v = s[a.field];
      const text = Array.isArray(v) ? v.map((d) => d[lang]).join(', ') : v[lang];
      return `${a.title[lang]}: ${text}`;
    });
    const reply = `${s.name[lang]} (${s.agencyName[lang]})\n${lines.join('\n')}`;
    return this.answer(lang, 'explain_service', confidence, reply, { services: this.listed([s], lang), sources: [this.cite(s, lang)], actions: s.onlineUrl ? [{ label: lang === 'ko' ? '온라인 신청' : 'Apply online', url: s.onlineUrl }] : [] });
  }

  private async find(text: string, ctx: Context, lang: Lang, confidence: number, named: ServiceInfo | undefined): Promise<Answer> {
    const list = this.services(text, undefined, { named });
    if (!list.length) return this.answer(lang, 'find_services', confidence, T.notUnderstood[lang]);
    const lines = list.map((s, i) => `${i + 1}. ${s.name[lang]} (${s.agencyName[lang]}): ${s.benefit[lang]}`);
    const head = lang === 'ko' ? '이런 서비스가 있어요. 받을 수 있는지는 각 서비스를 눌러 확인하거나 "받을 수 있나요?"라고 물어봐 주세요.' : 'These may help. Open one to see who qualifies, or ask me "am I eligible?".';
    const actions: Link[] = [];
    if (list.some((s) => s.lifeEvents?.some((e) => e === 'birth' || e === 'move' || e === 'death'))) actions.push({ label: lang === 'ko' ? '원스톱 신청' : 'One-stop application', url: '/apply' });
    if (ctx.citizenId) actions.push({ label: lang === 'ko' ? '나의 혜택' : 'My benefits', url: '/benefits' });
    return this.answer(lang, 'find_services', confidence, `${head}\n${lines.join('\n')}`, { services: this.listed(list, lang), sources: list.map((s) => this.cite(s, lang)), actions });
  }

  private async status(ctx: Context, lang: Lang, confidence: number): Promise<Answer> {
    if (!ctx.citizenId || !this.platform) return this.answer(lang, 'application_status', confidence, T.signIn[lang], { actions: [{ label: lang === 'ko' ? '로그인' : 'Sign in', url: '/sign-in?next=/applications' }] });
    const apps = (await applicationsOf(this.platform, ctx.citizenId)).slice(0, 3);
    if (!apps.length) return this.answer(lang, 'application_status', confidence, lang === 'ko' ? '원스톱으로 신청한 내역이 없어요. 다른 기관에 직접 신청하셨다면 그 기관에서 확인해 주세요.' : 'You have no one-stop applications. For applications made directly with an agency, please check with it.', { actions: [{ label: lang === 'ko' ? '원스톱 신청' : 'Apply', url: '/apply' }] });
    const word = { PENDING: { ko: '처리 중', en: 'in progress' }, APPROVED: { ko: '처리 완료', en: 'completed' }, SENDBACK: { ko: '보완 요청', en: 'more information needed' }, REJECTED: { ko: '반려·취하', en: 'refused or withdrawn' } };
    const lines = apps.map((a) => `${BUNDLES[a.bundle].name[lang]}: ${word[a.status][lang]} (${a.registeredAt.toISOString().slice(0, 10)})`);
    return this.answer(lang, 'application_status', confidence, lines.join('\n'), { actions: apps.map((a) => ({ label: BUNDLES[a.bundle].name[lang], url: `/applications/${a.id}` })) });
  }

  /** A due date: the citizen's own (from their screening facts) when they asked for alerts, else the rule in words. */
  private async due(s: ServiceInfo, ctx: Context, lang: Lang, confidence: number): Promise<Answer> {
    const base = { services: this.listed([s], lang), sources: [this.cite(s, lang)] };
    if (ctx.citizenId && this.platform && s.dueFact && (await isOptedIn(this.platform.db, ctx.citizenId))) {
      const { facts } = await screenCitizen(this.platform, ctx.citizenId);
      const [group, field] = s.dueFact.split('.') as [keyof Facts, string];
      const g = facts[group];
      const values = (Array.isArray(g) ? g.map((x) => x[field]) : [g?.[field]]).filter((v): v is Date => v instanceof Date).sort((a, b) => a.getTime() - b.getTime());
      if (values.length) {
        const dates = values.map((d) => d.toISOString().slice(0, 10)).join(', ');
        return this.answer(lang, 'due_dates', confidence, lang === 'ko' ? `${s.name.ko}: 등록된 정보로는 ${dates}까지입니다. (${s.deadline.ko})` : `${s.name.en}: by ${dates}, according to your records. (${s.deadline.en})`, base);
      }
    }
    const hint = ctx.citizenId ? (lang === 'ko' ? ' 혜택 알리미를 켜면 내 기한을 확인해 미리 알려 드려요.' : ' Turn on benefit alerts and I can check your own date and remind you.') : '';
    return this.answer(lang, 'due_dates', confidence, `${s.name[lang]}: ${s.deadline[lang]}${hint}`, { ...base, actions: ctx.citizenId ? [{ label: lang === 'ko' ? '나의 혜택' : 'My benefits', url: '/benefits' }] : [] });
  }

  /** Eligibility: the engine on the registries' facts (opted-in citizen), or on the person's answers. */
  private async check(s: ServiceInfo, ctx: Context, lang: Lang, confidence: number, state: SessionState): Promise<{ answer: Answer; state: SessionState }> {
    const base = { services: this.listed([s], lang), sources: [this.cite(s, lang)] };
    if (ctx.citizenId && this.platform && (await isOptedIn(this.platform.db, ctx.citizenId))) {
      const r = (await screenCitizen(this.platform, ctx.citizenId)).results.find((x) => x.service.id === s.id);
      if (r) return { answer: this.answer(lang, 'check_eligibility', confidence, this.verdict(s, r.outcome, explainText(r.explanation, lang), lang, 'registry'), base), state };
    }
    const rule = this.platform ? await ruleInForce(this.platform.db, s.id, seoulDate()) : undefined;
    if (!rule) return { answer: this.answer(lang, 'check_eligibility', confidence, `${s.name[lang]}: ${s.target[lang]}`, base), state };
    const first = rule.rule.explain({}, seoulDate()).missing[0] ?? rule.rule.facts[0];
    if (!first) return { answer: this.answer(lang, 'check_eligibility', confidence, `${s.name[lang]}: ${s.target[lang]}`, base), state };
    const intro = lang === 'ko' ? `${s.name.ko} 자격을 확인해 볼게요. 몇 가지만 여쭙겠습니다(저장하지 않고, 그만하려면 "그만"이라고 하세요).` : `Let's check ${s.name.en}. A few questions (nothing is kept; say "stop" to stop).`;
    const actions = ctx.citizenId ? [{ label: lang === 'ko' ? '혜택 알리미로 내 정보로 확인' : 'Check with my records (benefit alerts)', url: '/benefits' }] : [];
    return { answer: this.answer(lang, 'check_eligibility', confidence, `${intro}\n${questionFor(first, lang)}`, { ...base, actions }), state: { ...state, pending: { serviceId: s.id, facts: {}, asking: first, asked: 1 } } };
  }

  private verdict(s: ServiceInfo, outcome: string, why: string[], lang: Lang, basis: 'registry' | 'answers'): string {
    const head = {
      eligible: { ko: `${s.name.ko}: 받을 수 있는 것으로 보여요.`, en: `${s.name.en}: you appear to qualify.` },
      'not-eligible': { ko: `${s.name.ko}: 대상이 아닌 것으로 보여요.`, en: `${s.name.en}: you do not appear to qualify.` },
      'possibly-eligible': { ko: `${s.name.ko}: 확인이 더 필요해요.`, en: `${s.name.en}: more needs checking.` },
    }[outcome as 'eligible']![lang];
    const note = basis === 'registry'
      ? (lang === 'ko' ? '(등록된 내 정보로 판단했습니다. 실제 지급은 신청 후 기관이 결정합니다.)' : '(Decided on your records; the agency decides on payment when you apply.)')
      : (lang === 'ko' ? '(말씀하신 내용으로만 판단했습니다. 실제 지급은 신청 후 기관이 결정합니다.)' : '(Decided only on what you told me; the agency decides on payment when you apply.)');
    return [head, ...why.map((w) => `- ${w}`), note].join('\n');
  }

  private async continueCheck(state: SessionState, text: string, lang: Lang): Promise<{ answer: Answer; state: SessionState } | undefined> {
    const p = state.pending!;
    const norm = normalise(text);
    if (/^(그만|취소|됐어|stop|cancel|quit|never ?mind)/.test(norm)) return { answer: this.answer(lang, 'check_eligibility', 1, lang === 'ko' ? '자격 확인을 그만둘게요.' : 'Stopped the check.'), state: { ...state, pending: undefined } };
    const s = this.index.service(p.serviceId);
    const rule = this.platform ? await ruleInForce(this.platform.db, p.serviceId, seoulDate()) : undefined;
    if (!s || !rule) return undefined;
    const value = p.asking === 'person.sido' ? regionOf(matchText(norm)) : parseAnswer(p.asking, text);
    // not an answer: perhaps a new question (then the check is left), else ask again
    if (value === undefined) {
      if (this.model.predict(text).confidence >= 0.6) return undefined;
      return { answer: this.answer(lang, 'check_eligibility', 1, `${lang === 'ko' ? '답을 알아듣지 못했어요.' : "I didn't catch that."} ${questionFor(p.asking, lang)}`, { services: this.listed([s], lang), sources: [this.cite(s, lang)] }), state };
    }
    const facts: Facts = {};
    const known = { ...p.facts, [p.asking]: value };
    for (const [path, v] of Object.entries(known)) setFact(facts, path, v, seoulDate());
    const today = seoulDate();
    const e = rule.rule.explain(facts, today);
    const base = { services: this.listed([s], lang), sources: [this.cite(s, lang)] };
    if (e.outcome !== 'possibly-eligible' || p.asked >= MAX_QUESTIONS || !e.missing[0]) {
      return { answer: this.answer(lang, 'check_eligibility', 1, this.verdict(s, e.outcome, explainText(e, lang), lang, 'answers'), base), state: { lastServiceId: s.id } };
    }
    const ask = e.missing[0];
    return { answer: this.answer(lang, 'check_eligibility', 1, questionFor(ask, lang), base), state: { ...state, pending: { serviceId: s.id, facts: known, asking: ask, asked: p.asked + 1 } } };
  }
}
