import type { Platform } from '../../platform/platform.ts';
import type { Seeder } from '../../platform/seed.ts';
import { createService, findService } from './services.ts';
import { findTemplate, saveTemplate, type NewTemplate } from './templates.ts';

/**
 * The platform's own templates (modules send to citizens by their code) and two demo agency
 * services with templates. API keys are never seeded: make one with `npx hanaro notify key create`
 * (docs/notify.md).
 */

export const PLATFORM_TEMPLATES: NewTemplate[] = [
  {
    code: 'mydata.new-reader',
    name: 'MyData: a new reader of your data',
    category: 'alert',
    content: {
      ko: {
        inbox: { title: '내 정보를 처음 조회한 기관이 있습니다', body: '((institution))이(가) ((purpose)) 목적으로 내 정보를 조회했습니다. 모르는 조회라면 열람 기록에서 확인하세요.', url: '/mydata/access' },
        email: { subject: '[하나로] 내 정보를 처음 조회한 기관이 있습니다', body: '((institution))이(가) ((purpose)) 목적으로 내 정보를 조회했습니다.\n\n열람 기록: ((link))\n\n알림을 받지 않으려면 하나로 알림 설정에서 바꾸세요.' },
        sms: { body: '[하나로] ((institution))이(가) 내 정보를 처음 조회했습니다. 열람 기록에서 확인하세요.' },
        push: { title: '내 정보 조회 알림', body: '((institution))이(가) 내 정보를 처음 조회했습니다.', url: '/mydata/access' },
      },
      en: {
        inbox: { title: 'Someone new read your data', body: '((institution)) read your data for ((purpose)). If you do not recognise this, check your access log.', url: '/mydata/access' },
        email: { subject: '[Hanaro] Someone new read your data', body: '((institution)) read your data for ((purpose)).\n\nAccess log: ((link))\n\nTo stop these alerts, change your Hanaro notification settings.' },
        sms: { body: '[Hanaro] ((institution)) read your data for the first time. See your access log.' },
        push: { title: 'Data access alert', body: '((institution)) read your data for the first time.', url: '/mydata/access' },
      },
    },
  },
  {
    code: 'mydata.correction-decided',
    name: 'MyData: a correction request was decided',
    category: 'transactional',
    content: {
      ko: {
        inbox: { title: '정정 요청 처리 결과', body: '((agency))에서 정정 요청을 처리했습니다. ((accepted??요청대로 고쳤습니다.))((rejected??요청을 받아들이지 않았습니다.))((note?? 담당자 메모를 내 정보 화면에서 확인하세요.))', url: '/mydata' },
        email: { subject: '[하나로] 정정 요청 처리 결과', body: '((agency))에서 정정 요청을 처리했습니다. ((accepted??요청대로 고쳤습니다.))((rejected??요청을 받아들이지 않았습니다.))\n\n자세히 보기: ((link))' },
        sms: { body: '[하나로] ((agency)) 정정 요청 처리: ((accepted??반영))((rejected??미반영)). 내 정보에서 확인하세요.' },
      },
      en: {
        inbox: { title: 'Your correction request was decided', body: '((agency)) decided your correction request. ((accepted??The record was corrected.))((rejected??The request was not accepted.))((note?? See the official\'s note on My data.))', url: '/mydata' },
        email: { subject: '[Hanaro] Your correction request was decided', body: '((agency)) decided your correction request. ((accepted??The record was corrected.))((rejected??The request was not accepted.))\n\nDetails: ((link))' },
        sms: { body: '[Hanaro] ((agency)) correction request: ((accepted??corrected))((rejected??not accepted)). See My data.' },
      },
    },
  },
  {
    code: 'services.benefit-available',
    name: 'Services: a benefit the citizen can receive',
    category: 'alert',
    content: {
      ko: {
        inbox: { title: '받을 수 있는 혜택: ((service))', body: '((event)) 소식에 따라 확인해 보니 ((agency))의 ((service))을(를) 받으실 수 있습니다. 지원 내용과 신청 방법을 나의 혜택에서 확인하세요.', url: '/benefits' },
        email: { subject: '[하나로] 받을 수 있는 혜택이 있습니다: ((service))', body: '((event)) 소식에 따라 확인해 보니 ((agency))의 ((service))을(를) 받으실 수 있습니다.\n\n지원 내용과 신청 방법: ((link))\n\n혜택 알림을 받지 않으려면 하나로 알림 설정에서 바꾸세요.' },
        sms: { body: '[하나로] ((service)) 대상입니다. 나의 혜택에서 신청하세요.' },
        push: { title: '받을 수 있는 혜택', body: '((agency)) ((service))', url: '/benefits' },
      },
      en: {
        inbox: { title: 'A benefit for you: ((service))', body: 'Following ((event)), we checked: you can receive ((service)) from ((agency)). See what it gives and how to apply under My benefits.', url: '/benefits' },
        email: { subject: '[Hanaro] A benefit you can receive: ((service))', body: 'Following ((event)), we checked: you can receive ((service)) from ((agency)).\n\nWhat it gives and how to apply: ((link))\n\nTo stop benefit alerts, change your Hanaro notification settings.' },
        sms: { body: '[Hanaro] You can receive ((service)). Apply under My benefits.' },
        push: { title: 'A benefit for you', body: '((service)) (((agency)))', url: '/benefits' },
      },
    },
  },
  {
    code: 'services.reminder-due',
    name: 'Services: a due date is near (국민비서)',
    category: 'reminder',
    content: {
      ko: {
        inbox: { title: '((service)) 기한 안내', body: '((service)) 기한은 ((due))입니다. ((agency))에서 미리 챙기세요.', url: '/benefits' },
        email: { subject: '[하나로] ((service)) 기한이 다가옵니다 (((due)))', body: '((service)) 기한은 ((due))입니다.\n\n방법과 문의: ((link))\n\n안내를 받지 않으려면 하나로 알림 설정에서 바꾸세요.' },
        sms: { body: '[하나로] ((service)) 기한 ((due)). 미리 챙기세요.' },
        push: { title: '((service)) 기한 안내', body: '기한: ((due))', url: '/benefits' },
      },
      en: {
        inbox: { title: '((service)): due date', body: 'Your ((service)) is due on ((due)). See ((agency)) in good time.', url: '/benefits' },
        email: { subject: '[Hanaro] ((service)) is due soon (((due)))', body: 'Your ((service)) is due on ((due)).\n\nHow and where: ((link))\n\nTo stop these reminders, change your Hanaro notification settings.' },
        sms: { body: '[Hanaro] ((service)) due ((due)).' },
        push: { title: '((service)): due date', body: 'Due: ((due))', url: '/benefits' },
      },
    },
  },

  {
    code: 'services.application-received',
    name: 'Services: a one-stop application was received',
    category: 'transactional',
    content: {
      ko: {
        inbox: { title: '신청을 접수했습니다: ((application))', body: '((application)) 신청을 접수했습니다. 기관별 처리 상황을 신청 현황에서 확인하세요.', url: '/applications' },
        email: { subject: '[하나로] 신청 접수: ((application))', body: '((application)) 신청을 접수했습니다. 각 기관이 처리하는 대로 알려 드립니다.\n\n처리 상황: ((link))' },
        sms: { body: '[하나로] ((application)) 신청 접수. 처리 상황은 신청 현황에서 확인하세요.' },
        push: { title: '신청 접수', body: '((application))', url: '/applications' },
      },
      en: {
        inbox: { title: 'Application received: ((application))', body: 'We received your application for ((application)). Follow each agency’s part under My applications.', url: '/applications' },
        email: { subject: '[Hanaro] Application received: ((application))', body: 'We received your application for ((application)). We will tell you as each agency deals with it.\n\nStatus: ((link))' },
        sms: { body: '[Hanaro] Application received: ((application)). See My applications.' },
        push: { title: 'Application received', body: '((application))', url: '/applications' },
      },
    },
  },
  {
    code: 'services.application-updated',
    name: 'Services: a part of a one-stop application was decided',
    category: 'transactional',
    content: {
      ko: {
        inbox: { title: '((part)): ((decision))', body: '((application)) 신청 중 ((part))이(가) ((decision))되었습니다. ((note))', url: '/applications' },
        email: { subject: '[하나로] ((part)) ((decision))', body: '((application)) 신청 중 ((part))이(가) ((decision))되었습니다.\n((note))\n\n처리 상황: ((link))' },
        sms: { body: '[하나로] ((part)) ((decision)). 신청 현황에서 확인하세요.' },
        push: { title: '((part)): ((decision))', body: '((application))', url: '/applications' },
      },
      en: {
        inbox: { title: '((part)): ((decision))', body: 'In your application for ((application)), ((part)) was ((decision)). ((note))', url: '/applications' },
        email: { subject: '[Hanaro] ((part)): ((decision))', body: 'In your application for ((application)), ((part)) was ((decision)).\n((note))\n\nStatus: ((link))' },
        sms: { body: '[Hanaro] ((part)): ((decision)). See My applications.' },
        push: { title: '((part)): ((decision))', body: '((application))', url: '/applications' },
      },
    },
  },
];

export const DEMO_SERVICES = [
  {
    id: '5a2c1d7e-3b4f-4c6a-9e8d-0f1a2b3c4d5e',
    service: { agency: 'MOHW', nameKo: '복지로 알림', nameEn: 'Bokjiro notices', emailFrom: 'no-reply@bokjiro.example.kr', smsSender: '0215880000', team: ['case-team@bokjiro.example.kr', '010-1234-0001'] },
    templates: [
      {
        code: 'benefit-decided',
        name: '급여 결정 안내 / Benefit decision',
        category: 'transactional',
        content: {
          ko: {
            email: { subject: '[복지로] ((benefit)) 결정 안내', body: '((name))님, 신청하신 ((benefit))이(가) ((decision))되었습니다.\n\n문의: 보건복지상담센터 129' },
            sms: { body: '[복지로] ((name))님, ((benefit)) ((decision)). 문의 129' },
            alimtalk: { templateCode: 'BOKJI_DECIDED', body: '((name))님, 신청하신 ((benefit))이(가) ((decision))되었습니다.\n문의: 129', buttons: [{ name: '신청 현황 보기', url: 'https://www.bokjiro.go.kr' }] },
            inbox: { title: '((benefit)) 결정 안내', body: '신청하신 ((benefit))이(가) ((decision))되었습니다.' },
            push: { title: '((benefit)) 결정', body: '신청하신 ((benefit))이(가) ((decision))되었습니다.' },
          },
          en: {
            email: { subject: '[Bokjiro] Decision on your ((benefit))', body: 'Dear ((name)), your application for ((benefit)) was ((decision)).\n\nQuestions: call 129' },
            sms: { body: '[Bokjiro] ((name)), ((benefit)): ((decision)). Call 129' },
            alimtalk: { templateCode: 'BOKJI_DECIDED_EN', body: 'Dear ((name)), your application for ((benefit)) was ((decision)).\nCall 129', buttons: [{ name: 'Applications', url: 'https://www.bokjiro.go.kr' }] },
            inbox: { title: 'Decision on your ((benefit))', body: 'Your application for ((benefit)) was ((decision)).' },
            push: { title: '((benefit)) decided', body: 'Your application for ((benefit)) was ((decision)).' },
          },
        },
      },
    ] as NewTemplate[],
  },
  {
    id: '7b3d2e8f-4c5a-4d7b-8f9e-1a2b3c4d5e6f',
    service: { agency: 'MOIS', nameKo: '국민비서', nameEn: 'Government Secretary', emailFrom: 'no-reply@gov24.example.kr', smsSender: '0221000000' },
    templates: [
      {
        code: 'due-date',
        name: '기한 안내 / Due date reminder',
        category: 'reminder',
        content: {
          ko: {
            sms: { body: '[국민비서] ((task)) 기한은 ((dueDate))입니다.' },
            email: { subject: '[국민비서] ((task)) 기한 안내', body: '((task)) 기한은 ((dueDate))입니다. 기한을 넘기면 과태료가 부과될 수 있습니다.' },
            inbox: { title: '((task)) 기한 안내', body: '((task)) 기한은 ((dueDate))입니다.' },
          },
          en: {
            sms: { body: '[Gov Secretary] ((task)) is due on ((dueDate)).' },
            email: { subject: '[Gov Secretary] ((task)) due date', body: '((task)) is due on ((dueDate)). A fine may apply after that.' },
            inbox: { title: '((task)) due date', body: '((task)) is due on ((dueDate)).' },
          },
        },
      },
    ] as NewTemplate[],
  },
];

/** Saves the platform's templates when missing or changed (start and tests call it; idempotent). */
export async function ensurePlatformTemplates(platform: Platform): Promise<void> {
  for (const t of PLATFORM_TEMPLATES) {
    const have = await findTemplate(platform.db, { code: t.code, serviceId: null });
    if (have && JSON.stringify(have.content) === JSON.stringify(t.content) && have.category === t.category && have.name === t.name) continue;
    await saveTemplate(platform, null, t, 'system:seed');
  }
}

export const notifySeeder: Seeder = {
  name: 'notify.services',
  async run({ platform }) {
    await ensurePlatformTemplates(platform);
    for (const d of DEMO_SERVICES) {
      if (!(await findService(platform.db, d.id))) await createService(platform, d.service, 'system:seed', d.id);
      for (const t of d.templates) if (!(await findTemplate(platform.db, { code: t.code, serviceId: d.id }))) await saveTemplate(platform, d.id, t, 'system:seed');
    }
  },
};
