/**
 * Scripts every portal page loads, added by the modules that serve them (the assistant's box):
 * a page names only scripts that some module of this process registered, so an app built without
 * that module (a test's) asks for nothing it cannot serve. Each is a small island of progressive
 * enhancement; every page works without it.
 */
const scripts = new Set<string>();

export function addPageScript(src: string): void {
  scripts.add(src);
}

export function pageScripts(): string[] {
  return [...scripts];
}
