/**
 * Frequently asked questions to the portal, in Korean and English, for the assistant to answer
 * from. Answers are short and general (one to three sentences); the only telephone numbers are
 * the national call centres 110 (정부민원안내콜센터), 129 (보건복지상담센터) and 1350 (고용노동부).
 * `serviceIds` name entries of the national catalogue (services/catalogue/national.ts).
 */

export interface FaqEntry {
  id: string;
  q: { ko: string; en: string };
  a: { ko: string; en: string };
  keywords: string[];
  serviceIds: string[];
}

export const FAQ: FaqEntry[] = [
  // ── Signing in ──────────────────────────────────────────────────────────────────────────────
  {
    id: 'passkey-sign-in',
    q: { ko: '패스키로 어떻게 로그인하나요?', en: 'How do I sign in with a passkey?' },
    a: {
      ko: '로그인 화면에서 "패스키로 로그인"을 누르고 휴대폰이나 컴퓨터의 지문, 얼굴 인식 또는 화면 잠금 PIN으로 확인하면 됩니다. 비밀번호는 쓰지 않으며, 패스키는 먼저 내 계정에 등록해 두어야 합니다.',
      en: 'On the sign-in page choose "Sign in with a passkey" and confirm with your phone or computer’s fingerprint, face recognition or screen-lock PIN. There is no password; the passkey must first be registered to your account.',
    },
    keywords: ['패스키', '로그인', '지문', 'passkey', 'sign in', 'login'],
    serviceIds: [],
  },
  {
    id: 'first-sign-in-enrolment',
    q: { ko: '처음 이용하는데 계정은 어떻게 만드나요?', en: 'I am new here. How do I create an account?' },
    a: {
      ko: '읍·면·동 주민센터 창구에서 신분증으로 본인 확인을 받으면 한 번만 쓰는 등록 코드를 받습니다. 로그인 화면에 그 코드를 입력한 뒤 이 기기에 패스키를 등록하면 다음부터는 패스키로 로그인합니다.',
      en: 'Have your identity checked with your ID card at a community service centre counter and you will be given a one-time enrolment code. Enter the code on the sign-in page and register a passkey on your device; from then on you sign in with the passkey.',
    },
    keywords: ['가입', '등록 코드', '주민센터', 'enrol', 'account', 'enrolment code'],
    serviceIds: [],
  },
  {
    id: 'passkey-lost',
    q: { ko: '패스키가 있는 기기를 모두 잃어버렸어요. 어떻게 하나요?', en: 'I lost every device with my passkey. What do I do?' },
    a: {
      ko: '주민센터 창구에서 본인 확인을 받고 새 등록 코드를 받아 새 기기에 패스키를 다시 등록하세요. 다시 로그인한 뒤 내 계정에서 잃어버린 기기의 패스키를 삭제하는 것이 안전합니다.',
      en: 'Have your identity checked at a community service centre, get a new enrolment code and register a passkey on your new device. Once you are signed in again, remove the lost device’s passkey under My account to be safe.',
    },
    keywords: ['패스키 분실', '복구', '기기 분실', 'lost passkey', 'recovery', 'new device'],
    serviceIds: [],
  },
  {
    id: 'passkey-manage',
    q: { ko: '패스키를 추가하거나 지우려면 어디로 가나요?', en: 'Where can I add or remove passkeys?' },
    a: {
      ko: '내 계정에서 이 기기에 패스키를 추가하고, 이름을 바꾸거나 삭제할 수 있습니다(계정당 최대 10개). 마지막 남은 패스키는 지울 수 없으니 다른 패스키를 먼저 추가하세요.',
      en: 'Under My account you can add a passkey on this device, rename one or remove one (up to 10 per account). The last remaining passkey cannot be removed, so add another one first.',
    },
    keywords: ['패스키 관리', '내 계정', '패스키 삭제', 'manage passkeys', 'my account', 'remove passkey'],
    serviceIds: [],
  },

  // ── MyData ──────────────────────────────────────────────────────────────────────────────────
  {
    id: 'mydata-what',
    q: { ko: '마이데이터(내 정보)는 무엇인가요?', en: 'What is MyData (My data)?' },
    a: {
      ko: '내 정보에서는 여러 기관이 나에 대해 가지고 있는 정보를 기관별로 한곳에서 보고, 파일(JSON)로 내려받을 수 있습니다. 내가 동의한 곳에만 정보를 보내고, 누가 내 정보를 읽었는지도 확인할 수 있습니다.',
      en: 'My data shows in one place what each agency holds about you, grouped by agency, and lets you download it as a file (JSON). You decide who else may receive it and can see everyone who has read it.',
    },
    keywords: ['마이데이터', '내 정보', '공공 마이데이터', 'MyData', 'my data', 'download'],
    serviceIds: [],
  },
  {
    id: 'mydata-access-log',
    q: { ko: '누가 내 정보를 조회했는지 어떻게 알 수 있나요?', en: 'How can I see who read my data?' },
    a: {
      ko: '내 정보의 열람 기록에서 어느 기관이 언제, 어떤 항목을, 무슨 목적과 법적 근거(또는 동의)로 조회했는지 볼 수 있습니다. 기관이나 기간으로 거르고 CSV·JSON으로 내려받을 수도 있습니다.',
      en: 'The access log in My data shows which organisation read which items of your data, when, for what purpose and on what legal basis or consent. You can filter it by organisation or period and export it as CSV or JSON.',
    },
    keywords: ['열람 기록', '조회 내역', '개인정보', 'access log', 'who read my data', 'data tracker'],
    serviceIds: [],
  },
  {
    id: 'mydata-new-reader-alert',
    q: { ko: '처음 보는 기관이 내 정보를 조회하면 알려 주나요?', en: 'Will I be told when a new organisation reads my data?' },
    a: {
      ko: '열람 기록 화면에서 새 기관 알림을 켜면, 내 정보를 처음 조회한 기관이 생길 때 알림함과 내가 고른 채널로 알려 드립니다. 모르는 조회라면 열람 기록에서 내용을 확인하고 해당 기관이나 110에 문의하세요.',
      en: 'Turn on new reader alerts on the access log page and you will be told in your inbox and on your chosen channel whenever an organisation reads your data for the first time. If you do not recognise a read, check it in the access log and ask that organisation or call 110.',
    },
    keywords: ['조회 알림', '새 기관 알림', '열람 기록', 'new reader alert', 'access alert', 'notification'],
    serviceIds: [],
  },
  {
    id: 'mydata-withdraw-consent',
    q: { ko: '정보 제공 동의를 철회하려면 어떻게 하나요?', en: 'How do I withdraw my consent to share data?' },
    a: {
      ko: '내 정보의 동의 관리에서 철회할 동의를 골라 "철회"를 누르면 됩니다. 철회하면 바로 다음 요청부터 그 기관은 동의에 근거해 내 정보를 더 가져갈 수 없습니다.',
      en: 'Open Consents in My data, pick the consent and choose "Withdraw". From the very next request the recipient can no longer fetch your data under that consent.',
    },
    keywords: ['동의 철회', '동의 관리', '정보 제공', 'withdraw consent', 'consent', 'revoke'],
    serviceIds: [],
  },
  {
    id: 'mydata-send',
    q: { ko: '은행이나 다른 기관에 내 정보를 보낼 수 있나요?', en: 'Can I send my data to a bank or another organisation?' },
    a: {
      ko: '내 정보의 "데이터 보내기"에서 받는 곳을 고르면 누가, 어떤 항목을, 무슨 목적으로, 언제까지 받는지 보여 주는 동의 화면이 나옵니다. 동의한 항목만 전달되며 서류를 따로 떼어 낼 필요가 없습니다.',
      en: 'Choose the recipient under "Send my data" in My data and a consent screen shows who receives which items, why and for how long. Only the items you agree to are sent, so you do not need to fetch paper certificates.',
    },
    keywords: ['데이터 보내기', '제3자 제공', '은행', 'send data', 'bank', 'share data'],
    serviceIds: [],
  },
  {
    id: 'mydata-correction',
    q: { ko: '내 정보가 틀리게 나와 있어요. 고칠 수 있나요?', en: 'Some of my data is wrong. Can I get it corrected?' },
    a: {
      ko: '내 정보에서 틀린 항목의 정정을 요청하면 그 정보를 가진 기관에 요청이 전달됩니다. 기관이 받아들이거나 사유와 함께 거절하면 그 결과를 내 정보와 알림으로 알려 드립니다.',
      en: 'Ask for a correction of the wrong item in My data and the request goes to the agency that holds it. When the agency accepts it or refuses with a reason, you see the decision in My data and receive a notice.',
    },
    keywords: ['정정 요청', '정보 수정', '잘못된 정보', 'correction', 'wrong data', 'fix my data'],
    serviceIds: [],
  },

  // ── Benefits ────────────────────────────────────────────────────────────────────────────────
  {
    id: 'benefit-alerts-how',
    q: { ko: '혜택 알리미는 어떻게 작동하나요?', en: 'How do benefit alerts work?' },
    a: {
      ko: '나의 혜택에서 혜택 알리미를 신청하면 자격 확인에 필요한 항목만 기관 정보연계로 조회해 받을 수 있는 서비스를 찾아 드립니다. 출생·이사·사망이나 만 65세처럼 상황이 바뀌어 새로 받을 수 있는 혜택이 생기면 알려 드리며, 모든 조회는 열람 기록에 남습니다.',
      en: 'Turn on benefit alerts under My benefits and only the items eligibility needs are read from agencies’ registries to find the services you can receive. When a change such as a birth, a move, a death or turning 65 makes you newly eligible, you are told, and every read shows in your access log.',
    },
    keywords: ['혜택 알리미', '나의 혜택', '맞춤 혜택', 'benefit alerts', 'my benefits', 'eligibility'],
    serviceIds: [],
  },
  {
    id: 'benefit-alerts-stop',
    q: { ko: '혜택 알림을 그만 받으려면 어떻게 하나요?', en: 'How do I stop benefit alerts?' },
    a: {
      ko: '나의 혜택에서 혜택 알리미를 끄면 자격 확인을 멈추고 그동안 확인에 쓴 정보도 지웁니다. 확인은 계속하되 문자나 이메일만 받고 싶지 않다면 알림 설정에서 해당 종류를 알림함으로만 받도록 바꾸세요.',
      en: 'Turn benefit alerts off under My benefits: screening stops and the information kept for it is deleted. To keep the screening but stop texts and e-mails, set that kind of notice to inbox only in notification settings.',
    },
    keywords: ['혜택 알림 끄기', '수신 거부', '혜택 알리미', 'stop alerts', 'opt out', 'unsubscribe'],
    serviceIds: [],
  },
  {
    id: 'benefit-result-reasons',
    q: { ko: '왜 이 혜택을 받을 수 없다고 나오나요?', en: 'Why does it say I cannot get a benefit?' },
    a: {
      ko: '나의 혜택에서는 서비스마다 판단 근거를 보여 주니 어떤 조건 때문인지 확인하세요. 임신이나 갑작스러운 위기처럼 기관 정보에 없는 사실은 "판단할 수 없음"으로 나오며, 이때는 신청할 때 담당 기관이 결정합니다.',
      en: 'My benefits shows the reasons for every decision, so check which condition was not met. Facts that no registry holds, such as a pregnancy or a sudden crisis, show as "could not decide", and the agency decides when you apply.',
    },
    keywords: ['판단 근거', '대상 아님', '자격', 'not eligible', 'reasons', 'could not decide'],
    serviceIds: [],
  },
  {
    id: 'find-services',
    q: { ko: '어떤 정부 서비스가 있는지 찾아볼 수 있나요?', en: 'How can I look up which government services exist?' },
    a: {
      ko: '서비스 찾기에서 이름이나 낱말로 검색하고 분야와 지역(전국 또는 시·도)으로 거를 수 있습니다. 각 서비스에는 대상, 지원 내용, 신청 방법, 필요 서류, 기한과 문의처가 나와 있습니다.',
      en: 'Use Find services to search by name or word and filter by field and region (national or a province or city). Each service lists who it is for, what it gives, how to apply, the documents needed, the deadline and whom to contact.',
    },
    keywords: ['서비스 찾기', '검색', '복지 서비스', 'find services', 'search', 'catalogue'],
    serviceIds: [],
  },
  {
    id: 'how-to-apply-benefit',
    q: { ko: '받을 수 있다는 혜택은 어디서 신청하나요?', en: 'Where do I apply for a benefit I am told I can get?' },
    a: {
      ko: '혜택 알림은 받을 수 있다는 안내이며 자동으로 신청되지는 않습니다. 서비스 안내에 적힌 신청 창구(복지로, 정부24, 주민센터 등)에서 신청하고, 출생·이사·사망은 원스톱 신청으로 한 번에 처리할 수 있습니다.',
      en: 'A benefit alert tells you that you can receive something; it does not apply for you. Apply through the channel shown on the service page (Bokjiro, Government24, your community service centre and so on); a birth, a move or a death can be handled at once through one-stop applications.',
    },
    keywords: ['신청 방법', '복지로', '정부24', 'how to apply', 'apply', 'Bokjiro'],
    serviceIds: [],
  },

  // ── Notifications ───────────────────────────────────────────────────────────────────────────
  {
    id: 'notification-channels',
    q: { ko: '알림을 문자나 이메일로 받을 수 있나요?', en: 'Can I get notices by text message or e-mail?' },
    a: {
      ko: '알림 설정에서 이메일, 문자, 알림톡, 웹 푸시 가운데 받을 채널과 순서, 언어를 정할 수 있습니다. 모든 알림은 채널과 관계없이 알림함에도 남습니다.',
      en: 'In notification settings you choose which channels to use (e-mail, text message, KakaoTalk AlimTalk, web push), in what order and in which language. Every notice is also kept in your inbox, whatever the channel.',
    },
    keywords: ['알림 설정', '문자', '이메일', '알림함', 'notification settings', 'SMS', 'email'],
    serviceIds: [],
  },
  {
    id: 'notification-quiet-hours',
    q: { ko: '밤에는 알림이 오지 않게 할 수 있나요?', en: 'Can I stop notices from arriving at night?' },
    a: {
      ko: '알림 설정의 방해 금지 시간(기본 21:00~08:00) 동안에는 문자, 알림톡, 푸시를 보내지 않고 시간이 끝나면 보냅니다. 이메일과 긴급·재난 안내는 바로 가며, 시작과 끝을 같게 하면 방해 금지 시간이 없어집니다.',
      en: 'During quiet hours in notification settings (21:00–08:00 by default) text messages, AlimTalk and push are held and sent when they end. E-mail and urgent or emergency notices go straight away; setting the same start and end time turns quiet hours off.',
    },
    keywords: ['방해 금지 시간', '야간 알림', '알림 설정', 'quiet hours', 'do not disturb', 'night'],
    serviceIds: [],
  },
  {
    id: 'notification-opt-out',
    q: { ko: '광고나 기한 안내 알림을 끌 수 있나요?', en: 'Can I turn off reminders or promotional notices?' },
    a: {
      ko: '알림 설정에서 기한 안내, 알림, 홍보·광고를 고르면 그 종류는 문자나 이메일 없이 알림함으로만 받습니다. 내 신청·민원 안내와 긴급·재난 알림은 끌 수 없습니다.',
      en: 'Choose reminders, alerts or promotional notices in notification settings and those kinds go to your inbox only, without texts or e-mails. Notices about your own applications and urgent or emergency notices cannot be turned off.',
    },
    keywords: ['알림 끄기', '수신 거부', '홍보', 'opt out', 'reminders', 'advertising'],
    serviceIds: [],
  },
  {
    id: 'due-date-reminders',
    q: { ko: '자동차 검사나 면허 갱신 기한을 미리 알려 주나요?', en: 'Will I be reminded about deadlines such as my car inspection or licence renewal?' },
    a: {
      ko: '혜택 알리미를 켜 두면 국민비서처럼 자동차 정기검사, 운전면허 갱신, 건강검진, 장애정도 재판정 기한이 다가올 때 미리 알려 드립니다. 기한 안내를 원하지 않으면 알림 설정에서 알림함으로만 받도록 바꿀 수 있습니다.',
      en: 'With benefit alerts on, you are reminded ahead of time, like the 국민비서 service, when your vehicle inspection, driving licence renewal, health screening or disability review falls due. If you do not want reminders, set them to inbox only in notification settings.',
    },
    keywords: ['기한 안내', '국민비서', '갱신', '정기검사', 'reminder', 'due date', 'deadline'],
    serviceIds: ['vehicle-inspection', 'driving-licence-renewal', 'national-health-screening', 'disability-review'],
  },

  // ── One-stop applications ───────────────────────────────────────────────────────────────────
  {
    id: 'onestop-what',
    q: { ko: '원스톱 신청이 무엇인가요?', en: 'What is a one-stop application?' },
    a: {
      ko: '출생, 이사, 사망처럼 여러 기관에 알려야 하는 일을 한 번의 신청으로 처리하는 서비스입니다. 동의하면 내 정보를 불러와 신청서를 채우고, 각 기관은 자기 몫을 처리해 결과를 등록부에 반영합니다.',
      en: 'It lets you tell every agency concerned about a birth, a move or a death with a single application. If you agree, the form is filled in from your records, and each agency handles its own part and updates its register.',
    },
    keywords: ['원스톱', '생애주기', '한 번에 신청', 'one-stop', 'life event', 'apply once'],
    serviceIds: ['birth-registration', 'moving-in-report', 'death-registration'],
  },
  {
    id: 'onestop-birth',
    q: { ko: '아이가 태어나면 출생신고와 지원금을 한 번에 신청할 수 있나요?', en: 'Can I register a birth and claim the baby benefits together?' },
    a: {
      ko: '원스톱 신청의 출생 신청에서 출생신고와 함께 첫만남이용권, 부모급여, 아동수당을 한 번에 신청할 수 있습니다. 출생신고는 태어난 날부터 1개월 안에 해야 합니다.',
      en: 'Yes: the birth application under one-stop applications registers the birth and claims the First Meeting Voucher, Parental Benefit and Child Allowance at the same time. A birth must be registered within one month.',
    },
    keywords: ['출생신고', '행복출산', '첫만남이용권', 'birth registration', 'newborn', 'one-stop birth'],
    serviceIds: ['birth-registration', 'first-meeting-voucher', 'parental-benefit', 'child-allowance'],
  },
  {
    id: 'onestop-move',
    q: { ko: '이사하면 전입신고와 주소 변경을 한 번에 할 수 있나요?', en: 'When I move, can I report it and change my address everywhere at once?' },
    a: {
      ko: '원스톱 신청의 이사 신청으로 전입신고를 하면서 운전면허, 자동차 등록, 건강보험의 주소도 함께 바꿀 수 있습니다. 전입신고는 이사한 날부터 14일 안에 해야 하며 늦으면 과태료가 부과됩니다.',
      en: 'The move application under one-stop applications files your moving-in report and can update the address on your driving licence, vehicle registration and health insurance at the same time. The report is due within 14 days of moving; late reports are fined.',
    },
    keywords: ['전입신고', '이사', '주소 변경', 'moving-in report', 'change of address', 'move'],
    serviceIds: ['moving-in-report'],
  },
  {
    id: 'onestop-death',
    q: { ko: '가족이 돌아가셨을 때 사망신고와 재산 조회를 함께 할 수 있나요?', en: 'After a death in the family, can I register it and search for the estate together?' },
    a: {
      ko: '원스톱 신청의 사망 신청으로 사망신고와 함께 안심상속 원스톱 서비스(국세, 자동차, 건강보험 등 조회)를 신청할 수 있습니다. 사망신고는 사망 사실을 안 날부터 1개월 안에 해야 합니다.',
      en: 'The death application under one-stop applications registers the death and requests the Safe Inheritance One-Stop Service (national tax, vehicles, health insurance and more) together. A death must be registered within one month of learning of it.',
    },
    keywords: ['사망신고', '안심상속', '상속 재산 조회', 'death registration', 'inheritance', 'bereavement'],
    serviceIds: ['death-registration', 'safe-inheritance-one-stop'],
  },
  {
    id: 'application-status',
    q: { ko: '신청한 민원이 어떻게 처리되고 있는지 어디서 보나요?', en: 'Where can I see how my application is going?' },
    a: {
      ko: '신청 현황에서 신청마다 기관별 처리 상황(처리 중, 보완 요청, 처리 완료, 반려)을 볼 수 있습니다. 처리 결과가 나오면 알림함과 내가 고른 채널로도 알려 드립니다.',
      en: 'My applications shows each application with every agency’s part and its progress (pending, more information needed, completed or refused). When a decision is made you are also told in your inbox and on your chosen channel.',
    },
    keywords: ['신청 현황', '처리 상황', '진행 상태', 'application status', 'my applications', 'progress'],
    serviceIds: [],
  },
  {
    id: 'application-sendback',
    q: { ko: '보완 요청을 받았어요. 어떻게 하나요?', en: 'I was asked for more information. What do I do?' },
    a: {
      ko: '신청 현황에서 해당 신청을 열면 담당 기관이 남긴 보완 사유를 볼 수 있습니다. 내용을 고치거나 서류를 붙인 뒤 "보완해서 다시 제출하기"를 누르세요.',
      en: 'Open the application in My applications to read what the agency asked for. Correct the form or attach the documents, then submit it again.',
    },
    keywords: ['보완 요청', '재제출', '서류 보완', 'more information', 'resubmit', 'sent back'],
    serviceIds: [],
  },

  // ── Digital documents and the wallet ────────────────────────────────────────────────────────
  {
    id: 'wallet-add-document',
    q: { ko: '전자지갑에 증명서를 어떻게 추가하나요?', en: 'How do I add a document to my wallet?' },
    a: {
      ko: '로그인한 뒤 내 전자증명서에서 필요한 증명서를 골라 발급을 요청하고, 화면의 안내에 따라 전자지갑에서 받으면 됩니다. 발급한 증명서와 상태는 내 전자증명서에서 다시 볼 수 있습니다.',
      en: 'Sign in, choose the document you need under My documents and ask for it, then accept it in your wallet as the screen guides you. My documents lists what was issued and its status.',
    },
    keywords: ['전자증명서', '전자지갑', '증명서 발급', 'wallet', 'digital document', 'add document'],
    serviceIds: [],
  },
  {
    id: 'wallet-which-documents',
    q: { ko: '전자지갑에는 어떤 증명서를 담을 수 있나요?', en: 'Which documents can I keep in the wallet?' },
    a: {
      ko: '모바일 주민등록증, 모바일 운전면허증, 가족관계증명서, 납세증명서, 소득·재산 확인서, 건강보험 자격득실확인서, 장애인 증명서, 국가유공자증 같은 증명서를 받을 수 있습니다. 증명서마다 발급 기관이 전자서명을 하므로 상대방이 진위를 확인할 수 있습니다.',
      en: 'You can receive documents such as the mobile resident ID, mobile driving licence, family relation certificate, tax payment certificate, income and assets certificate, health insurance status certificate, disability certificate and person of national merit certificate. Each is signed by the issuing agency, so whoever checks it can verify it is genuine.',
    },
    keywords: ['모바일 신분증', '운전면허증', '가족관계증명서', 'mobile ID', 'driving licence', 'certificate'],
    serviceIds: ['resident-id-card'],
  },
  {
    id: 'wallet-offline',
    q: { ko: '인터넷이 안 될 때도 전자지갑의 신분증을 보여줄 수 있나요?', en: 'Can I show my ID from the wallet without an internet connection?' },
    a: {
      ko: '전자지갑은 증명서를 기기 안에 보관하므로 한 번 설치해 두면 인터넷 연결 없이도 열어서 보여 줄 수 있습니다. 미리 지갑을 앱으로 설치하고 증명서를 받아 두세요.',
      en: 'The wallet keeps your documents on the device, so once it is installed you can open it and show them without a connection. Install the wallet as an app and receive your documents beforehand.',
    },
    keywords: ['오프라인', '인터넷 없이', '신분증 제시', 'offline', 'show ID', 'no internet'],
    serviceIds: [],
  },
  {
    id: 'wallet-selective-disclosure',
    q: { ko: '증명서를 제출하면 내 정보가 전부 넘어가나요?', en: 'When I present a document, does the other side see everything on it?' },
    a: {
      ko: '아닙니다. 전자지갑은 누가 무슨 목적으로 요청하는지 먼저 보여 주고, 동의하면 "만 19세 이상"처럼 상대가 요청한 항목만 보냅니다.',
      en: 'No. The wallet first shows who is asking and why, and if you agree it sends only the items they asked for, such as "aged 19 or over".',
    },
    keywords: ['선택적 제출', '최소 정보', '성인 인증', 'selective disclosure', 'present', 'privacy'],
    serviceIds: [],
  },
  {
    id: 'wallet-lost-phone',
    q: { ko: '전자지갑이 든 휴대폰을 잃어버렸어요.', en: 'I lost the phone that has my wallet on it.' },
    a: {
      ko: '다른 기기로 로그인해 내 전자증명서에서 "모든 증명서 정지"를 누르면 발급된 증명서가 모두 바로 정지됩니다. 정지를 풀려면 주민센터에서 본인 확인을 받은 뒤 새 기기에 증명서를 다시 받으세요.',
      en: 'Sign in on another device and choose "Suspend all documents" under My documents; every document issued to you is suspended at once. To lift the suspension, have your identity checked at a community service centre and receive the documents again on your new device.',
    },
    keywords: ['휴대폰 분실', '증명서 정지', '기기 분실', 'lost phone', 'suspend', 'lost device'],
    serviceIds: [],
  },

  // ── Complaints and contact ──────────────────────────────────────────────────────────────────
  {
    id: 'report-problem',
    q: { ko: '도로 파손이나 불법 주차 같은 불편을 어디에 신고하나요?', en: 'Where do I report a problem such as a pothole or illegal parking?' },
    a: {
      ko: '포트홀, 고장 난 가로등, 불법 주정차 같은 안전 위험은 안전신문고(앱·누리집)에, 그 밖의 민원·고충과 제안은 국민신문고에 접수하세요. 어디에 내야 할지 모르겠다면 110에 전화하면 안내해 드립니다.',
      en: 'Report safety hazards such as potholes, broken street lights or illegal parking to Safety e-Report (안전신문고, app or website), and other complaints and suggestions to e-People (국민신문고). If you are not sure where to go, call 110.',
    },
    keywords: ['국민신문고', '안전신문고', '민원 신고', 'report', 'complaint', 'pothole', 'illegal parking'],
    serviceIds: [],
  },
  {
    id: 'call-centre-110',
    q: { ko: '어디에 물어봐야 할지 모르겠어요.', en: 'I do not know whom to ask. Where can I call?' },
    a: {
      ko: '정부민원안내콜센터 110에 전화하면 어느 기관의 일이든 안내받거나 담당 기관으로 연결받을 수 있습니다. 지역번호 없이 110만 누르면 됩니다.',
      en: 'Call 110, the government call centre, for any question about government services; they answer or put you through to the agency responsible. Just dial 110, with no area code.',
    },
    keywords: ['110', '정부민원안내콜센터', '전화 문의', 'call centre', 'phone', 'help line'],
    serviceIds: [],
  },
  {
    id: 'call-centres-welfare-employment',
    q: { ko: '복지나 실업급여는 어디에 전화로 물어보나요?', en: 'Whom do I call about welfare or unemployment benefits?' },
    a: {
      ko: '기초연금, 생계급여, 긴급복지 같은 복지 문의는 보건복지상담센터 129, 실업급여나 국민취업지원제도, 육아휴직 급여 같은 고용 문의는 고용노동부 고객상담센터 1350으로 하세요. 당장 생계가 어려운 위기 상황이라면 129에 바로 연락하세요.',
      en: 'For welfare questions such as the Basic Pension, livelihood benefit or emergency welfare, call the health and welfare call centre on 129; for job-seeker benefits, the National Employment Support Program or parental leave pay, call the Ministry of Employment and Labor on 1350. In a sudden crisis, call 129 straight away.',
    },
    keywords: ['129', '1350', '보건복지상담센터', '고용노동부', 'welfare', 'unemployment'],
    serviceIds: ['basic-pension', 'livelihood-benefit', 'emergency-welfare', 'job-seeker-benefit', 'national-employment-support', 'parental-leave-pay'],
  },

  // ── Accessibility and language ──────────────────────────────────────────────────────────────
  {
    id: 'change-language',
    q: { ko: '영어로 볼 수 있나요?', en: 'How do I change the language?' },
    a: {
      ko: '화면 위쪽의 언어 선택이나 화면 설정에서 한국어와 영어 중 하나를 고르면 됩니다. 고른 언어는 이 브라우저에 저장되며, 알림을 받을 언어는 알림 설정에서 따로 정합니다.',
      en: 'Pick Korean or English with the language switcher at the top of the page or under Display settings. Your choice is kept in this browser; the language of your notices is set separately in notification settings.',
    },
    keywords: ['언어 변경', '영어', 'English', 'language', 'Korean', '화면 설정'],
    serviceIds: [],
  },
  {
    id: 'high-contrast',
    q: { ko: '글자가 잘 안 보여요. 고대비 모드가 있나요?', en: 'The text is hard to read. Is there a high-contrast mode?' },
    a: {
      ko: '화면 위쪽의 "고대비 모드 켜기"나 화면 설정에서 어두운 배경에 밝은 글자로 바꿀 수 있습니다. 자바스크립트 없이도 동작하며, 브라우저의 확대 기능으로 글자를 더 크게 볼 수도 있습니다.',
      en: 'Use "Turn on high contrast" at the top of the page or Display settings to switch to light text on a dark background. It works without JavaScript, and you can also enlarge text with your browser’s zoom.',
    },
    keywords: ['고대비', '접근성', '화면 설정', 'high contrast', 'accessibility', 'low vision'],
    serviceIds: [],
  },

  // ── Common procedures ───────────────────────────────────────────────────────────────────────
  {
    id: 'passport-renewal',
    q: { ko: '여권은 어떻게 새로 발급받나요?', en: 'How do I get a new passport?' },
    a: {
      ko: '처음 발급은 시·도·구청 여권 민원실에 직접 가서 신청하고, 전자여권이 있는 분은 정부24에서 온라인으로 재발급을 신청할 수 있습니다. 남은 유효기간이 6개월 미만이면 입국을 막는 나라가 많으니 여행 전에 미리 확인하세요.',
      en: 'A first passport is applied for in person at a passport office in a city, province or district office; holders of an electronic passport can apply for a new one online on Government24. Many countries refuse entry with less than six months’ validity left, so check before you travel.',
    },
    keywords: ['여권', '재발급', '여권 갱신', 'passport', 'renewal', 'Government24'],
    serviceIds: ['passport-issue'],
  },
  {
    id: 'resident-id-card',
    q: { ko: '주민등록증은 언제, 어디서 발급받나요?', en: 'When and where do I get my resident ID card?' },
    a: {
      ko: '만 17세가 되면 생일이 속한 달의 다음 달 1일부터 1년 안에 가까운 읍·면·동 주민센터에 본인이 직접 가서 신청합니다(첫 발급은 무료). 발급받은 뒤에는 모바일 주민등록증을 전자지갑에 담을 수 있습니다.',
      en: 'At 17 you apply in person at any community service centre within a year, starting on the first day of the month after your birthday (the first card is free). Once it is issued you can also keep a mobile ID in your wallet.',
    },
    keywords: ['주민등록증', '신분증', '만 17세', 'resident ID card', 'ID card', 'mobile ID'],
    serviceIds: ['resident-id-card'],
  },
  {
    id: 'vehicle-inspection',
    q: { ko: '자동차 정기검사는 언제, 어떻게 받나요?', en: 'When and how do I get my car’s periodic inspection?' },
    a: {
      ko: '비사업용 승용차는 신차 첫 검사 이후 2년마다 검사를 받으며, 검사는 유효기간 만료일 90일 전부터 31일 후까지 받을 수 있습니다. 한국교통안전공단 검사소를 예약하거나 지정정비사업자에게 받으면 되고, 늦으면 과태료가 부과됩니다.',
      en: 'After a new car’s first inspection, a private car is inspected every two years, any time from 90 days before to 31 days after the expiry date. Book with the Korea Transportation Safety Authority or use an authorised garage; late inspections are fined.',
    },
    keywords: ['자동차 정기검사', '자동차 검사', '과태료', 'vehicle inspection', 'car inspection', 'MOT'],
    serviceIds: ['vehicle-inspection'],
  },
  {
    id: 'driving-licence-renewal',
    q: { ko: '운전면허 갱신은 어떻게 하나요?', en: 'How do I renew my driving licence?' },
    a: {
      ko: '면허증에 적힌 적성검사·갱신 기간 안에 도로교통공단 안전운전 통합민원 누리집에서 온라인으로 하거나 운전면허시험장·경찰서 민원실을 방문하면 됩니다. 기한을 넘기면 과태료가 부과되고, 1종은 1년이 더 지나면 면허가 취소됩니다.',
      en: 'Within the renewal period printed on your licence, renew online on the Road Traffic Authority’s Safe Driving site or at a driving licence test centre or police station. Late renewal is fined, and a Class 1 licence is cancelled a year after the deadline.',
    },
    keywords: ['운전면허 갱신', '적성검사', '면허', 'driving licence', 'renewal', 'aptitude test'],
    serviceIds: ['driving-licence-renewal'],
  },
  {
    id: 'health-screening',
    q: { ko: '국가건강검진은 언제 받나요?', en: 'When should I have my national health check-up?' },
    a: {
      ko: '만 20세 이상은 2년마다 일반건강검진을 받으며, 출생연도가 짝수면 짝수 해, 홀수면 홀수 해가 대상입니다. 따로 신청하지 않고 대상 연도 12월 31일까지 지정 검진기관에 가면 되고 일반건강검진은 무료입니다.',
      en: 'Adults aged 20 or over have a general check-up every two years: in even years if born in an even year, odd years if odd. There is no application; visit a designated screening centre by 31 December of your year, and the general check-up is free.',
    },
    keywords: ['건강검진', '국가건강검진', '암검진', 'health check-up', 'screening', 'NHIS'],
    serviceIds: ['national-health-screening'],
  },
];
