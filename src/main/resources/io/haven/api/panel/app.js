// Haven's web panel, shared by the Backups page and onboarding: plain browser JavaScript against
// the Supervisor-shaped API. The session is a cookie set by /auth/session, so downloads are plain
// links and the token never appears in a URL. Every call carries X-Haven-Request: the agent
// refuses a browser's state-changing call without it, which other sites' pages cannot add (CSRF).
// Everything a person reads is worded here, from the error's type and the job's stage: the
// agent's own messages are written for the command line.
'use strict';

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

/** Home Assistant's names for the folders of a backup. */
const FOLDER_NAMES = {
  share: 'Share folder', 'addons/local': 'Local add-ons', ssl: 'SSL certificates', media: 'Media',
};
const FOLDER_ORDER = ['share', 'media', 'ssl', 'addons/local'];

/** Add-on slug → name, learnt from the data root and from each backup's details. */
const addonNames = {};

function partName(id) {
  if (id === 'homeassistant') return 'Home Assistant';
  if (FOLDER_NAMES[id]) return FOLDER_NAMES[id];
  return addonNames[id] || addonFallbackName(id);
}

// "45df7312_zigbee2mqtt" → "Zigbee2mqtt", "core_mosquitto" → "Mosquitto": the repository prefix
// says nothing to a person.
function addonFallbackName(slug) {
  const bare = slug.replace(/^[0-9a-f]{8}_|^core_|^local_/, '').replace(/[_-]+/g, ' ');
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}

class ApiError extends Error {
  constructor(type, message, status) {
    super(message);
    this.type = type;
    this.status = status;
  }
}

async function api(method, path, body) {
  const init = { method, credentials: 'same-origin', headers: { 'X-Haven-Request': '1' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError('Offline', 'offline', 0);
  }
  if (res.status === 401 && path !== '/auth/session') {
    if (typeof showLogin === 'function') showLogin();
    throw new ApiError('Unauthorized', 'signed out', 401);
  }
  const json = await res.json().catch(() => ({ result: 'error', message: res.statusText }));
  if (json.result !== 'ok') {
    throw new ApiError(json.type || typeOfStatus(res.status), json.message || '', res.status);
  }
  return json.data;
}

function typeOfStatus(status) {
  return { 401: 'Unauthorized', 404: 'NotFound', 409: 'Busy' }[status] || 'Unknown';
}

// --- words ---------------------------------------------------------------------------------------

const PROBLEMS = {
  WrongPassword: 'That password does not open this backup. Check it and try again.',
  PasswordRequired: 'This backup is protected: enter its password.',
  Busy: 'Another backup or restore is running. Wait until it has finished, then try again.',
  NotEnoughSpace: 'There is not enough free space on this device. Free some space, or choose'
    + ' fewer parts.',
  Corrupt: 'This backup is damaged: it cannot be read to its end.',
  Unsupported: 'This backup is in a form Haven cannot read.',
  Unsafe: 'This backup holds files that would land outside their place, so Haven does not'
    + ' restore it.',
  AlreadyExists: 'This backup is already on this device.',
  Rejected: 'This file is not a backup Haven can read, or it is damaged.',
  NotFound: 'This backup is no longer here.',
  Blocked: 'The check before restoring found a problem. Fix it first, or tick “Restore anyway”.',
  Unreachable: 'The location cannot be reached. Check that it is switched on, on the network,'
    + ' and that its address is right.',
  AuthenticationFailed: 'The location refused the user name, password or key.',
  Refused: 'The location refused to store backups. Check its folder and permissions.',
  Misconfigured: 'The location’s settings are incomplete or wrong.',
  CopyMismatch: 'The copy at the location did not match the backup, so it was removed. The next'
    + ' automatic backup tries again.',
  CycleFailed: 'The automatic backup was made, but copying it to a location failed.',
  JobCancelled: 'It was stopped before it finished. Nothing was changed.',
  Failed: 'Stopping or starting Home Assistant around the restore failed. Check that Home'
    + ' Assistant runs.',
  TimedOut: 'Stopping or starting Home Assistant around the restore took too long. Check that'
    + ' Home Assistant runs.',
  Offline: 'This device does not answer. Check that it is on and connected, then try again.',
  Unauthorized: 'Please sign in again.',
};

// A message the agent wrote for a person is kept only when it names no command, flag, address of
// the API or temporary file; otherwise the type's own words stand.
const TECHNICAL = /'haven |`|--[a-z]|\/backups\/|\/jobs\/|\.haven-|haven\.yaml|locations\.yaml|Exception|job [0-9a-f]{8}/;

function problem(type, message, overrides = {}) {
  if (overrides[type]) return overrides[type];
  if (PROBLEMS[type]) return PROBLEMS[type];
  const plain = String(message || '').split(/(?<=\.)\s+/).filter(s => !TECHNICAL.test(s))
    .join(' ').trim();
  return plain || 'Something went wrong. The device’s log has the details.';
}

function problemOf(error, overrides) {
  return problem(error.type, error.message, overrides);
}

function humanSize(bytes) {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = bytes, u = -1;
  while (v >= 1000 && u < units.length - 1) { v /= 1000; u++; }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

function humanDuration(seconds) {
  if (seconds < 60) return 'less than a minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60), m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** "Today 04:45", "Yesterday 04:45", "Tue 3 Dec 04:45". */
function humanDate(iso) {
  const d = new Date(iso);
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const day = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  const now = new Date();
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const diff = Math.round((day - today) / 86400000);
  if (diff === 0) return `Today ${time}`;
  if (diff === -1) return `Yesterday ${time}`;
  if (diff === 1) return `Tomorrow ${time}`;
  return d.toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short',
    year: d.getFullYear() === now.getFullYear() ? undefined : 'numeric' }) + ` ${time}`;
}

// --- preflight in plain words --------------------------------------------------------------------

// Only what a person acts on or wants to know: problems first, then space, time and the restart.
function preflightItems(findings) {
  const rank = { blocking: 0, warning: 1, info: 2 };
  const items = [];
  for (const f of [...findings].sort((a, b) => rank[a.severity] - rank[b.severity])) {
    const text = findingWords(f);
    if (text) items.push({ severity: f.severity, text });
  }
  return items;
}

function findingWords(f) {
  if (f.severity === 'info') {
    if (f.check === 'space') {
      const m = /needs ([\d.]+ [kMGT]?B).*?([\d.]+ [kMGT]?B) (?:is )?free/.exec(f.message);
      return m ? `The restore needs ${m[1]}; ${m[2]} is free.` : 'There is enough free space.';
    }
    if (f.check === 'duration') return f.message.split(':')[0].replace(/\s*\(.*$/, '') + '.';
    if (f.check === 'restart') return 'Home Assistant restarts after the restore.';
    return null;
  }
  const label = f.severity === 'blocking' ? 'Must be fixed first: ' : 'Check after the restore: ';
  return label + plainSentence(f.message) + (f.action ? ' ' + plainSentence(f.action) : '');
}

// Drops the measurements and file system paths the command line shows.
function plainSentence(text) {
  return text.replace(/\s*\((?:measured|it is|from|at)[^)]*\)/g, '')
    .replace(/ (?:on|in|at|to) \/[^\s,:;)]+/g, '').replace(/\s+([.,;:])/g, '$1').trim();
}

function renderPreflight(list, report) {
  list.replaceChildren();
  const items = preflightItems(report.findings);
  if (!items.length) list.append(li('ok', 'No problems found.'));
  for (const i of items) list.append(li(i.severity, i.text));
  return report.findings.some(f => f.severity === 'blocking');
}

function li(className, text) {
  const item = document.createElement('li');
  item.className = className;
  item.textContent = text;
  return item;
}

// --- jobs in words -------------------------------------------------------------------------------

const JOB_VERBS = {
  backup_manager_full_backup: 'Backing up',
  backup_manager_partial_backup: 'Backing up',
  haven_scheduled_backup: 'Backing up',
  backup_manager_full_restore: 'Restoring',
  backup_manager_partial_restore: 'Restoring',
  backup_manager_import_backup: 'Adding the uploaded backup',
  haven_verify_backup: 'Verifying',
};

const STAGE_WORDS = {
  copy_additional_locations: 'Copying to the locations',
  download_from_agent: 'Downloading the backup from its location',
  swapping: 'Putting the restored files in place',
  finishing_file: 'Finishing the backup file',
  upload: 'Receiving the file',
  verify: 'Reading every part',
  preflight: 'Checking before the restore',
};

function isRestore(job) {
  return job.name.endsWith('_restore');
}

function isBackup(job) {
  return job.name.endsWith('_backup') && job.name !== 'haven_verify_backup';
}

/**
 * The running job in a line: "Backing up Media — 42 %, 1 min left". {@code rate} is bytes a
 * second as this page measured it, or 0 while unknown.
 */
function jobTitle(job, rate) {
  const verb = JOB_VERBS[job.name] || 'Working';
  const part = job.extra && job.extra.part;
  let what = STAGE_WORDS[job.stage];
  if (!what) what = part ? `${verb} ${partName(part)}` : job.stage ? verb : `${verb}: starting`;
  if (job.stage === 'copy_additional_locations' && job.extra && job.extra.location) {
    what = `Copying to ${job.extra.location}`;
  }
  const done = (job.extra && job.extra.bytes_done) || 0;
  const total = (job.extra && job.extra.bytes_total) || 0;
  if (!total) return what;
  const percent = Math.min(100, Math.floor((done * 100) / total));
  const left = rate > 0 && total > done ? `, ${humanDuration((total - done) / rate)} left` : '';
  return `${what} — ${percent} %${left}`;
}

function jobDetail(job, backupName) {
  const done = (job.extra && job.extra.bytes_done) || 0;
  const total = (job.extra && job.extra.bytes_total) || 0;
  const parts = [];
  if (job.name === 'haven_scheduled_backup') parts.push('Automatic backup');
  if (backupName) parts.push(`“${backupName}”`);
  if (total) parts.push(`${humanSize(done)} of ${humanSize(total)}`);
  return parts.join(' · ');
}

/** The finished job in a sentence; {@code ok} false when it failed or a copy failed. */
function jobResult(job, backupName) {
  const name = backupName ? `“${backupName}”` : 'the backup';
  const errors = job.errors || [];
  if (job.extra && job.extra.outcome === 'failed') {
    const last = errors[errors.length - 1] || {};
    const what = isRestore(job) ? `Restoring ${name} failed` : isBackup(job)
      ? 'The backup failed' : job.name === 'haven_verify_backup' ? `${cap(name)} is not intact`
        : 'It failed';
    return { ok: false, text: `${what}: ${problem(last.type, last.message)}` };
  }
  if (isRestore(job)) return { ok: true, text: `Restored ${name}.` };
  if (isBackup(job)) {
    return errors.length ? { ok: false, text: `Backup ${name} made. ${problem('CycleFailed')}` }
      : { ok: true, text: `Backup ${name} made.` };
  }
  if (job.name === 'haven_verify_backup') {
    return { ok: true, text: `${cap(name)} is intact: every part was read and checked.` };
  }
  return { ok: true, text: 'Done.' };
}

const cap = s => s.charAt(0).toUpperCase() + s.slice(1);

/** Bytes a second from the last few samples of one job. */
class RateMeter {
  constructor() { this.samples = []; this.uuid = null; }

  add(job) {
    if (job.uuid !== this.uuid) { this.samples = []; this.uuid = job.uuid; }
    const bytes = (job.extra && job.extra.bytes_done) || 0;
    const now = Date.now();
    this.samples.push([now, bytes]);
    while (this.samples.length > 2 && now - this.samples[0][0] > 15000) this.samples.shift();
    const [t0, b0] = this.samples[0];
    if (now - t0 >= 2000 && bytes > b0) return ((bytes - b0) * 1000) / (now - t0);
    const since = (now - Date.parse(job.created)) / 1000;
    return since > 3 && bytes > 0 ? bytes / since : 0;
  }
}

// --- dialogs -------------------------------------------------------------------------------------

/** Opens {@code dialog} modally, focusing its first field; focus returns where it was on close. */
function openDialog(dialog, focus) {
  const opener = document.activeElement;
  dialog.addEventListener('close', () => {
    if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
  }, { once: true });
  if (!dialog.open) dialog.showModal();
  const first = focus || $('input:not([type=hidden]):not([disabled]):not([hidden]), select, textarea',
    dialog);
  if (first && first.offsetParent !== null) first.focus();
}

/** Shows {@code message} in the error area of the form or view {@code root}; "" hides it. */
function dialogError(root, message) {
  const el = $('.dialog-error', root);
  el.textContent = message;
  el.hidden = !message;
  if (message) el.scrollIntoView({ block: 'nearest' });
}

/** Wires every Show/Hide toggle below {@code root} to the password fields it controls. */
function wireToggles(root = document) {
  for (const toggle of $$('.toggle', root)) {
    toggle.setAttribute('aria-pressed', 'false');
    toggle.addEventListener('click', () => {
      const show = toggle.getAttribute('aria-pressed') !== 'true';
      for (const id of toggle.getAttribute('aria-controls').split(' ')) {
        document.getElementById(id).type = show ? 'text' : 'password';
      }
      toggle.setAttribute('aria-pressed', String(show));
      toggle.textContent = show ? 'Hide' : 'Show';
    });
  }
}

function resetToggles(root) {
  for (const toggle of $$('.toggle', root)) {
    if (toggle.getAttribute('aria-pressed') === 'true') toggle.click();
  }
}

function wireCloseButtons() {
  for (const close of $$('dialog .close')) {
    close.addEventListener('click', () => close.closest('dialog').close());
  }
}

function showBanner(id, message) {
  const el = document.getElementById(id);
  el.textContent = message;
  el.hidden = !message;
}

const showError = message => showBanner('error', message);
const showNotice = message => showBanner('notice', message);

/** Runs {@code fn} for an event; a failure goes to {@code report} in words for the UI. */
function guarded(fn, report = showError) {
  return event => {
    if (event && event.type === 'submit') event.preventDefault();
    Promise.resolve().then(() => fn(event)).catch(e => report(e instanceof ApiError
      ? problemOf(e) : `Something went wrong: ${e.message}`));
  };
}

// --- parts ---------------------------------------------------------------------------------------

/** Fills {@code fieldset} with a checkbox a part; returns nothing. All are ticked. */
function partsPicker(fieldset, available, checked = true) {
  const legend = $('legend', fieldset);
  fieldset.replaceChildren(...(legend ? [legend] : []));
  const add = (value, label) => {
    const l = document.createElement('label');
    l.className = 'check';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = value;
    box.checked = checked;
    l.append(box, ' ' + label);
    fieldset.append(l);
  };
  if (available.homeassistant) add('homeassistant', 'Home Assistant');
  for (const f of FOLDER_ORDER.filter(f => available.folders.includes(f))) {
    add('folder:' + f, FOLDER_NAMES[f]);
  }
  for (const a of [...available.addons].sort((x, y) => partName(x).localeCompare(partName(y)))) {
    add('addon:' + a, partName(a));
  }
}

function chosenParts(fieldset) {
  const chosen = { homeassistant: false, addons: [], folders: [] };
  for (const box of $$('input:checked', fieldset)) {
    if (box.value === 'homeassistant') chosen.homeassistant = true;
    else if (box.value.startsWith('addon:')) chosen.addons.push(box.value.slice(6));
    else chosen.folders.push(box.value.slice(7));
  }
  return chosen;
}

function allChosen(fieldset) {
  return $$('input', fieldset).every(b => b.checked);
}

function noneChosen(fieldset) {
  return !$$('input', fieldset).some(b => b.checked);
}

// --- upload --------------------------------------------------------------------------------------

// XMLHttpRequest, not fetch: it reports upload progress. The file is streamed by the browser.
function upload(file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/backups/new/upload?filename=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('Content-Type', 'application/x-tar');
    xhr.setRequestHeader('X-Haven-Request', '1');
    xhr.upload.onprogress = e => onProgress(e.loaded, e.total);
    xhr.onload = () => {
      let json = {};
      try { json = JSON.parse(xhr.responseText || '{}'); } catch (e) { /* not the agent's JSON */ }
      if (json.result === 'ok') resolve(json.data);
      else reject(new ApiError(json.type || typeOfStatus(xhr.status), json.message || '',
        xhr.status));
    };
    xhr.onerror = () => reject(new ApiError('Offline', 'The upload was interrupted.', 0));
    xhr.send(file);
  });
}

/** Uploads {@code file}, showing its progress in words in the page's #job card. */
function uploadShown(file) {
  const startedAt = Date.now();
  $('#job').hidden = false;
  $('#job-bar').hidden = false;
  return upload(file, (done, total) => {
    const rate = done / Math.max(0.001, (Date.now() - startedAt) / 1000);
    $('#job-title').textContent = jobTitle({ name: 'backup_manager_import_backup',
      stage: 'upload', extra: { bytes_done: done, bytes_total: total } },
    Date.now() - startedAt > 2000 ? rate : 0);
    $('#job-bar').value = total ? (done * 100) / total : 0;
    $('#job-detail').textContent = `${file.name} · ${humanSize(done)} of ${humanSize(total)}`;
  }).finally(() => { $('#job').hidden = true; });
}

const UPLOAD_PROBLEMS = {
  Corrupt: 'This file is not a backup Haven can read, or it is damaged.',
  BadRequest: 'This file is not a backup Haven can read.',
  NotEnoughSpace: 'There is not enough free space on this device for this backup.',
};

const sleep = ms => new Promise(r => setTimeout(r, ms));
