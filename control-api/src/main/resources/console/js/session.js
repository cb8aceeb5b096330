// The person signed in: their token (kept in sessionStorage, so it goes with the tab) and what it
// claims. The claims only shape the page (an operator's buttons); the server checks the token on
// every call and refuses what the role may not do.
const STORAGE_KEY = "atrium.console.token";
const ACTING_ROLES = ["operator", "engineer", "admin"];

/** The claims of a JWT's payload, or null when it is not a JWT. Not verified here: the server verifies. */
export function claimsOf(token) {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  try {
    const base64 = parts[1].replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims === "object" && claims !== null ? claims : null;
  } catch {
    return null;
  }
}

export class Session {
  constructor(token, claims, sites) {
    this.token = token;
    this.subject = String(claims.sub || "");
    this.role = String(claims.role || "");
    this.expires = typeof claims.exp === "number" ? new Date(claims.exp * 1000) : null;
    this.sites = sites;
  }

  /** Operators, engineers and administrators act on alarms; viewers see. */
  get mayOperate() {
    return ACTING_ROLES.includes(this.role);
  }
}

export function savedToken() {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function saveToken(token) {
  sessionStorage.setItem(STORAGE_KEY, token);
}

export function forgetToken() {
  sessionStorage.removeItem(STORAGE_KEY);
}
