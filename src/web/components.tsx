import type { ComponentChildren } from 'preact';
import { LANGS, type Lang } from '../platform/i18n.ts';
import { pathOf, t, withContrast, withLang, withoutContrast, type PageContext } from './context.ts';
import { pageScripts } from './page-scripts.ts';

// KRDS markup (node_modules/krds-uiux/html/code/*.html) wrapped in components so that pages
// never repeat it. KRDS's own JavaScript is not used: every control here is a link or a form.

/** Each language named in itself, the same in every catalogue, so not in messages.ts. */
export const LANG_NAMES: Record<Lang, string> = { ko: '한국어', en: 'English' };

export function SkipLink({ ctx }: { ctx: PageContext }) {
  return (
    <div id="krds-skip-link">
      <a href="#main">{t(ctx, 'skip_to_main')}</a>
    </div>
  );
}

/** The official-site banner every Korean government website carries above its header. */
export function Masthead({ ctx }: { ctx: PageContext }) {
  return (
    <section id="krds-masthead" aria-label={t(ctx, 'masthead_label')}>
      <div class="toggle-wrap">
        <div class="toggle-head">
          <div class="inner">
            <span class="nuri-txt">{t(ctx, 'masthead')}</span>
          </div>
        </div>
      </div>
    </section>
  );
}

/** Plain links rather than KRDS's script-driven drop-down, so switching works without JavaScript. */
export function LanguageSwitcher({ ctx }: { ctx: PageContext }) {
  return (
    <ul class="hn-lang" aria-label={t(ctx, 'lang_label')}>
      {LANGS.map((l) => (
        <li>
          <a
            href={withLang(ctx.url, l)}
            lang={l}
            hreflang={l}
            class={`krds-btn small text${l === ctx.lang ? ' hn-current' : ''}`}
            aria-current={l === ctx.lang ? 'true' : undefined}
          >
            {LANG_NAMES[l]}
          </a>
        </li>
      ))}
    </ul>
  );
}

/**
 * A plain link to the same page with the opposite `?contrast=`, like the language switcher: the
 * portal's hook remembers the choice in a cookie, and the page it leads to already shows it. The
 * text says what following it does, so no state attribute is needed (aria-pressed is for buttons).
 * Being a link, it needs no form token, so pages that only have it can be rendered once and cached.
 */
export function ContrastToggle({ ctx }: { ctx: PageContext }) {
  const next = ctx.contrast === 'high' ? 'normal' : 'high';
  return (
    <a class="krds-btn small text hn-contrast" href={withContrast(ctx.url, next)}>
      {ctx.contrast === 'high' ? t(ctx, 'contrast_off') : t(ctx, 'contrast_on')}
    </a>
  );
}

interface NavItem {
  href: string;
  label: string;
}

/** The header's account tools: "sign in", or who is signed in with their account and sign-out. */
function SignedInTools({ ctx }: { ctx: PageContext }) {
  const who = ctx.signedIn;
  if (!who) {
    return (
      <li>
        <a class="krds-btn small text" href="/sign-in">
          {t(ctx, 'header_sign_in')}
        </a>
      </li>
    );
  }
  return (
    <>
      <li>
        <a class="krds-btn small text" href={who.official ? '/console' : '/account'}>
          {t(ctx, 'header_signed_in', { name: who.name })} · {t(ctx, who.official ? 'header_console' : 'header_account')}
        </a>
      </li>
      {ctx.csrfToken ? (
        <li>
          <form method="post" action="/sign-out">
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <button type="submit" class="krds-btn small text">
              {t(ctx, 'header_sign_out')}
            </button>
          </form>
        </li>
      ) : null}
    </>
  );
}

export function Header({ ctx }: { ctx: PageContext }) {
  const current = pathOf(ctx.url);
  const items: NavItem[] = [
    { href: '/', label: t(ctx, 'nav_home') },
    { href: '/services', label: t(ctx, 'nav_services') },
    { href: '/benefits', label: t(ctx, 'nav_benefits') },
    { href: '/apply', label: t(ctx, 'nav_apply') },
    { href: '/documents', label: t(ctx, 'nav_documents') },
    { href: '/wallet', label: t(ctx, 'nav_wallet') },
    { href: '/mydata', label: t(ctx, 'nav_mydata') },
    { href: '/notifications', label: t(ctx, 'nav_notifications') },
    { href: '/about', label: t(ctx, 'nav_about') },
    { href: '/docs', label: t(ctx, 'nav_api_docs') },
    { href: '/preferences', label: t(ctx, 'nav_preferences') },
  ];
  return (
    <header id="krds-header">
      <div class="header-in">
        <div class="header-container">
          <div class="inner">
            <div class="header-utility">
              <ul class="utility-list" aria-label={t(ctx, 'tools_label')}>
                <li>
                  <LanguageSwitcher ctx={ctx} />
                </li>
                <li>
                  <ContrastToggle ctx={ctx} />
                </li>
                <SignedInTools ctx={ctx} />
              </ul>
            </div>
            <div class="header-branding">
              <a href="/" class="hn-brand">
                <span class="hn-brand-name">{t(ctx, 'site_name')}</span>
                <span class="hn-brand-tagline">{t(ctx, 'site_tagline')}</span>
              </a>
              {ctx.demo ? <span class="krds-badge bg-light-warning hn-demo">{t(ctx, 'demo_badge')}</span> : null}
            </div>
          </div>
        </div>
        <nav class="krds-main-menu" aria-label={t(ctx, 'nav_label')}>
          <div class="inner">
            <ul class="gnb-menu">
              {items.map((item) => {
                const active = item.href === current;
                return (
                  <li>
                    <a
                      href={item.href}
                      class={`gnb-main-trigger is-link${active ? ' active' : ''}`}
                      aria-current={active ? 'page' : undefined}
                    >
                      {item.label}
                    </a>
                  </li>
                );
              })}
            </ul>
          </div>
        </nav>
      </div>
    </header>
  );
}

export function Footer({ ctx }: { ctx: PageContext }) {
  const links: NavItem[] = [
    { href: '/about', label: t(ctx, 'nav_about') },
    { href: '/docs', label: t(ctx, 'nav_api_docs') },
    { href: '/openapi.json', label: t(ctx, 'link_openapi_title') },
    { href: '/readyz', label: t(ctx, 'link_readyz_title') },
  ];
  return (
    <footer id="krds-footer" aria-label={t(ctx, 'footer_label')}>
      <div class="inner">
        <p class="hn-footer-name">{t(ctx, 'site_name')}</p>
        <div class="f-cnt">
          <div class="f-info">
            <p class="info-addr">{t(ctx, 'footer_about')}</p>
          </div>
        </div>
        <form method="get" action="/assistant" class="hn-ask" role="search" aria-label={t(ctx, 'assistant_ask_label')}>
          <label for="hn-ask-q" class="hn-ask-label">
            {t(ctx, 'assistant_ask_label')}
          </label>
          <input type="text" id="hn-ask-q" name="q" class="krds-input" maxLength={1000} autocomplete="off" placeholder={t(ctx, 'assistant_ask_hint')} />
          <button type="submit" class="krds-btn secondary medium">
            {t(ctx, 'assistant_ask_button')}
          </button>
        </form>
        <div class="f-btm">
          <div class="f-btm-text">
            <nav class="f-menu" aria-label={t(ctx, 'footer_links_label')}>
              {links.map((l) => (
                <a href={l.href}>{l.label}</a>
              ))}
            </nav>
            <p class="f-copy">© {t(ctx, 'footer_copy')}</p>
          </div>
        </div>
      </div>
    </footer>
  );
}

export function Breadcrumb({ ctx, trail }: { ctx: Pick<PageContext, 'lang'>; trail: NavItem[] }) {
  return (
    <nav class="krds-breadcrumb-wrap" aria-label={t(ctx, 'breadcrumb_label')}>
      <ol class="breadcrumb">
        <li class="home">
          <a href="/" class="txt">
            {t(ctx, 'nav_home')}
          </a>
        </li>
        {trail.map((item, i) =>
          i === trail.length - 1 ? (
            <li>
              <a href={item.href} class="txt" aria-current="page">
                {item.label}
              </a>
            </li>
          ) : (
            <li>
              <a href={item.href} class="txt">
                {item.label}
              </a>
            </li>
          ),
        )}
      </ol>
    </nav>
  );
}

export interface LinkCard {
  href: string;
  title: string;
  text: string;
  /** What the link leads to when it is not a page (e.g. JSON), said before the reader follows it. */
  format?: string;
}

/** KRDS structured list: each card is one link, with its title as a heading for screen-reader navigation. */
export function LinkCards({ cards }: { cards: LinkCard[] }) {
  return (
    <ul class="krds-structured-list hn-cards">
      {cards.map((c) => (
        <li class="structured-item">
          <div class="in">
            <div class="card-body">
              <a href={c.href} class="c-text">
                <h3 class="c-tit">
                  <span class="span">{c.title}</span>
                  {c.format ? <span class="krds-badge bg-light-secondary hn-format">{c.format}</span> : null}
                </h3>
                <p class="c-txt">{c.text}</p>
              </a>
            </div>
          </div>
        </li>
      ))}
    </ul>
  );
}

/** A portal page: masthead, header, main content, footer. `head` adds to the document's head (a web app manifest). */
export function Layout({ ctx, title, children, head }: { ctx: PageContext; title: string; children: ComponentChildren; head?: ComponentChildren }) {
  return (
    <html lang={ctx.lang} data-krds-mode={ctx.contrast === 'high' ? 'high-contrast' : undefined}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} | ${t(ctx, 'title_suffix')}`}</title>
        <meta name="description" content={t(ctx, 'meta_description')} />
        <link rel="stylesheet" href={ctx.assets.stylesheet} />
        <link rel="icon" href={ctx.assets.favicon} type="image/svg+xml" />
        {head}
        {LANGS.filter((l) => l !== ctx.lang).map((l) => (
          <link rel="alternate" hreflang={l} href={withLang(withoutContrast(ctx.url), l)} />
        ))}
      </head>
      <body>
        <SkipLink ctx={ctx} />
        <div id="wrap">
          <Masthead ctx={ctx} />
          <Header ctx={ctx} />
          <main id="main" tabindex={-1} class="hn-main">
            <div class="inner">
              {ctx.demo ? (
                <p class="hn-notice" role="note">
                  {t(ctx, 'demo_notice')}
                </p>
              ) : null}
              {children}
            </div>
          </main>
          <Footer ctx={ctx} />
        </div>
        {pageScripts().map((src) => (
          <script type="module" src={src}></script>
        ))}
      </body>
    </html>
  );
}

/**
 * A table's box. Identifiers do not fit a phone's width: there the outer box scrolls sideways,
 * and being focusable (a region named by the table's caption) it scrolls with the keyboard too
 * (WCAG 2.1.1). The inner box is the portal's table style (hn-table: columns sized to content).
 */
export function TableBox({ captionId, children }: { captionId: string; children: ComponentChildren }) {
  return (
    <div class="krds-table-wrap scroll" tabindex={0} role="region" aria-labelledby={captionId}>
      <div class="krds-table-wrap hn-table">{children}</div>
    </div>
  );
}

/** A data table in its scrolling box, named by the element `captionId` (a section's heading): column headings, then the rows given. */
export function DataTable({ captionId, columns, children }: { captionId: string; columns: string[]; children: ComponentChildren }) {
  return (
    <TableBox captionId={captionId}>
      <table class="tbl col data">
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col">{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </TableBox>
  );
}

/** What a form's last action did ("the passkey was added"), announced politely; nothing when there is nothing to say. */
export function StatusNotice({ text }: { text?: string }) {
  return text ? (
    <p class="hn-notice" role="status">
      {text}
    </p>
  ) : null;
}

/** A form's error summary (GOV.UK/KRDS pattern): a heading and a link to each field in error. */
export function ErrorSummary({ title, errors }: { title: string; errors: Array<{ href: string; text: string }> }) {
  if (!errors.length) return null;
  return (
    <div class="hn-notice" role="alert" aria-labelledby="form-errors">
      <h2 id="form-errors" class="hn-subtitle">
        {title}
      </h2>
      <ul>
        {errors.map((e) => (
          <li>
            <a href={e.href}>{e.text}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}
