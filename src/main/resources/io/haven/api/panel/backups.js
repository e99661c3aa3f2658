// The Backups page: the status card, the running job, the list, and one dialog a backup holding
// its actions. Uses app.js's helpers; the settings view is settings.js's.
'use strict';

const page = {
  backups: [],
  overview: null,
  running: null, // the running job, as the agent last showed it
  rate: new RateMeter(),
  open: null, // the backup whose dialog is open, with its details
};

function showLogin() {
  $('#login').hidden = false;
  $('#app').hidden = true;
  $('#logout').hidden = true;
}

function backupName(slug) {
  const b = page.backups.find(x => x.slug === slug);
  return b ? (b.name || b.slug) : null;
}

// --- the list -----------------------------------------------------------------------------------

async function refresh() {
  const [list, overview, parts] = await Promise.all([api('GET', '/backups/info'),
    api('GET', '/haven/overview'), api('GET', '/haven/parts')]);
  Object.assign(addonNames, parts.addon_names || {});
  page.backups = [...list.backups].sort((a, b) => b.date.localeCompare(a.date));
  page.overview = overview;
  renderList();
  renderSummary();
  if (page.result) renderResult(page.result); // its backup's name is known now
}

function renderList() {
  const filter = $('#list-filter').value;
  const shown = page.backups.filter(b => filter === 'all'
    || (filter === 'automatic') === Boolean(b.with_automatic_settings));
  $('#backups tbody').replaceChildren(...shown.map(row));
  $('#empty').hidden = shown.length > 0;
  $('#empty').textContent = page.backups.length ? 'No backups of this kind.'
    : 'No backups yet. Create one to keep your setup safe.';
  $('#backups').hidden = shown.length === 0;
}

function row(b) {
  const tr = document.createElement('tr');
  tr.dataset.slug = b.slug;
  const name = document.createElement('td');
  name.className = 'name';
  const open = document.createElement('button');
  open.type = 'button';
  open.className = 'row-open';
  open.textContent = b.name || b.slug;
  open.addEventListener('click', guarded(() => openBackup(b.slug)));
  name.append(open, ' ', chip(b.with_automatic_settings ? 'Automatic' : 'Manual',
    b.with_automatic_settings ? 'auto' : 'manual'));
  if (b.protected) name.append(' ', lockIcon());
  const date = cell(humanDate(b.date), 'date');
  const size = cell(humanSize(b.size_bytes), 'size');
  const where = document.createElement('td');
  where.className = 'where';
  for (const l of b.locations) where.append(chip(placeName(l), 'place'), ' ');
  tr.append(name, date, size, where);
  tr.addEventListener('click', e => { if (e.target === tr || e.target.tagName === 'TD') open.click(); });
  return tr;
}

function placeName(l) {
  return l === null || l === '.local' ? 'This device' : l;
}

function cell(text, className) {
  const td = document.createElement('td');
  td.className = className;
  td.textContent = text;
  return td;
}

function chip(text, kind) {
  const s = document.createElement('span');
  s.className = `chip ${kind}`;
  s.textContent = text;
  return s;
}

// A padlock drawn inline: no emoji font needed, and no request leaves the device.
function lockIcon() {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('class', 'lock');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'Protected with a password');
  const title = document.createElementNS(ns, 'title');
  title.textContent = 'Protected with a password';
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', 'M4 7V5a4 4 0 0 1 8 0v2h1a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V8'
    + 'a1 1 0 0 1 1-1h1zm2 0h4V5a2 2 0 0 0-4 0v2z');
  svg.append(title, path);
  return svg;
}

// --- the status card ----------------------------------------------------------------------------

function renderSummary() {
  const o = page.overview;
  const last = o.last_automatic;
  const attempt = o.last_attempt;
  let lastText = 'None yet';
  if (attempt && !attempt.ok) {
    lastText = `${humanDate(attempt.date)} — failed: ${problem(attempt.type, attempt.message)}`;
  } else if (last) {
    lastText = `${humanDate(last.date)} — succeeded`;
  }
  setSummary('#summary-last', lastText, attempt && !attempt.ok ? 'bad' : last ? 'good' : '');
  setSummary('#summary-next', o.next_backup ? humanDate(o.next_backup)
    : o.schedule.recurrence === 'never' ? 'Automatic backups are off' : '—');
  const s = o.space;
  setSummary('#summary-space', `${humanSize(s.used_bytes)} in ${s.backups} backup`
    + `${s.backups === 1 ? '' : 's'}` + (s.free_bytes != null ? ` · ${humanSize(s.free_bytes)}`
    + ' free' : ''));
  const list = $('#summary-locations');
  list.replaceChildren();
  for (const l of o.locations) {
    const item = document.createElement('li');
    const label = document.createElement('span');
    label.className = 'summary-label';
    label.textContent = placeName(l.name);
    const value = document.createElement('span');
    value.className = 'summary-value';
    value.textContent = l.name === '.local' ? `${l.backups} backup${l.backups === 1 ? '' : 's'}`
      : l.last_copy ? `Last copy ${humanDate(l.last_copy)} · ${l.backups} backups`
        : 'No copy yet';
    item.append(label, value);
    list.append(item);
  }
  $('#open-settings').textContent = o.schedule.recurrence === 'never'
    ? 'Set up automatic backups' : 'Change settings';
}

function setSummary(sel, text, tone = '') {
  const el = $(sel);
  el.textContent = text;
  el.className = `summary-value ${tone}`;
}

// --- the running job ----------------------------------------------------------------------------

const DISMISSED = 'haven.dismissedJob';

/**
 * Follows the agent's jobs, whoever started them (this page, the command line, the schedule,
 * Home Assistant): the running one with its progress, then its result until dismissed.
 */
async function watchJobs() {
  for (;;) {
    let jobs = null;
    try {
      jobs = (await api('GET', '/jobs/info')).jobs;
    } catch (e) {
      if (e.type === 'Unauthorized') return;
    }
    if (jobs) await showJobs(jobs);
    await sleep(page.running ? 700 : 2500);
  }
}

async function showJobs(jobs) {
  const running = jobs.find(j => !j.done) || null;
  const was = page.running;
  page.running = running;
  setBusy(Boolean(running));
  if (running) {
    renderRunning(running);
    return;
  }
  if (was) {
    await refresh().catch(() => {});
  }
  const last = jobs.find(j => j.done && j.name !== 'backup_manager_import_backup');
  if (last && last.uuid !== localStorage.getItem(DISMISSED)) renderResult(last);
  else {
    page.result = null;
    $('#job').hidden = true;
  }
}

function renderRunning(job) {
  page.result = null;
  const card = $('#job');
  card.hidden = false;
  card.className = 'card running';
  $('#job-title').textContent = jobTitle(job, page.rate.add(job));
  const total = (job.extra && job.extra.bytes_total) || 0;
  const bar = $('#job-bar');
  bar.hidden = false;
  if (total) bar.value = Math.min(100, (job.extra.bytes_done * 100) / total);
  else bar.removeAttribute('value'); // indeterminate while the size is not known
  $('#job-detail').textContent = jobDetail(job, job.reference && backupName(job.reference));
  $('#job-dismiss').hidden = true;
}

function renderResult(job) {
  page.result = job;
  const result = jobResult(job, job.reference && backupName(job.reference));
  const card = $('#job');
  card.hidden = false;
  card.className = `card ${result.ok ? 'done' : 'failed'}`;
  $('#job-title').textContent = result.text;
  $('#job-bar').hidden = true;
  $('#job-detail').textContent = humanDate(job.created);
  $('#job-dismiss').hidden = false;
  $('#job-dismiss').onclick = () => {
    localStorage.setItem(DISMISSED, job.uuid);
    page.result = null;
    card.hidden = true;
  };
}

// While a job runs, nothing else can start: the buttons say so instead of failing later.
function setBusy(busy) {
  for (const b of [$('#create-open'), $('#backup-restore'), $('#restore-submit'),
    $('#verify-submit'), $('#delete-submit')]) {
    b.disabled = busy;
    b.title = busy ? 'A backup or restore is running' : '';
  }
  $('#upload-file').disabled = busy;
  $('#upload-label').classList.toggle('disabled', busy);
  if (!busy) guardRestore();
}

/** Shows the job card at once after this page started a job, before the next poll. */
function started(job) {
  page.running = { ...job, done: false };
  setBusy(true);
  renderRunning(page.running);
}

// --- one backup's dialog ------------------------------------------------------------------------

async function openBackup(slug) {
  const b = page.backups.find(x => x.slug === slug);
  const info = await api('GET', `/backups/${slug}/info`);
  for (const a of info.addons) if (a.name) addonNames[a.slug] = a.name;
  page.open = { ...b, info, password: '' };
  const d = $('#backup');
  $('#backup-title').textContent = info.name || info.slug;
  $('#backup-sub').textContent = [humanDate(info.date), humanSize(info.size_bytes),
    b.with_automatic_settings ? 'Automatic' : 'Manual',
    info.protected ? 'Protected with a password' : 'Not protected'].join(' · ');
  renderFacts(info, b);
  $('#backup-download').href = `/backups/${slug}/download`;
  for (const row of $$('[data-protected]', d)) row.hidden = !info.protected;
  for (const input of $$('input[type=password], input[type=text]', d)) input.value = '';
  resetToggles(d);
  $('#files-filter').value = '';
  $('#files tbody').replaceChildren();
  $('#files-note').hidden = true;
  fillPartSelect(info);
  showView('details');
  openDialog(d, $('#backup-restore'));
}

function renderFacts(info, b) {
  const facts = [
    ['Home Assistant', info.homeassistant ? (/^\d/.test(info.homeassistant)
      ? `Home Assistant ${info.homeassistant}` : 'Included')
      + (info.homeassistant_exclude_database ? ', without its history' : '') : 'Not included'],
    ['Add-ons', info.addons.map(a => a.version ? `${partName(a.slug)} ${a.version}`
      : partName(a.slug)).join(', ') || 'None'],
    ['Folders', FOLDER_ORDER.filter(f => info.folders.includes(f)).map(f => FOLDER_NAMES[f])
      .join(', ') || 'None'],
    ['Locations', b.locations.map(placeName).join(', ')],
    ['Made by', madeBy(info)],
    ['Form', info.file && info.file.endsWith('.tar') && info.compressed === false
      ? 'Uncompressed' : compatible(info) ? 'Home Assistant can restore it' : 'Haven’s fast form'],
  ];
  const dl = $('#backup-facts');
  dl.replaceChildren();
  for (const [k, v] of facts) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  }
}

function madeBy(info) {
  const haven = info.extra && info.extra.haven;
  return haven ? 'Haven' : 'Home Assistant';
}

function compatible(info) {
  const haven = info.extra && info.extra.haven;
  return !haven || (haven.compression && haven.compression !== 'zstd');
}

function showView(name) {
  const d = $('#backup');
  for (const v of $$('.view', d)) v.hidden = v.id !== `backup-view-${name}`;
  $('#backup-back').hidden = name === 'details';
  const view = $(`#backup-view-${name}`);
  if (view.tagName === 'FORM') dialogError(view, '');
  if (name === 'restore') startRestoreView();
  if (name === 'delete') {
    const where = page.open.locations.map(placeName);
    $('#delete-where').textContent = `“${page.open.info.name || page.open.slug}” will be deleted`
      + ` from ${where.join(' and ')}. This cannot be undone.`;
  }
  const first = name === 'details' ? $('#backup-restore')
    : $('input:not([hidden]):not([type=checkbox]), select', view);
  const focus = first && first.offsetParent !== null ? first : $('button', view);
  if (focus) focus.focus();
}

/**
 * Checks the password against the backup before anything starts; the answer lands in the view.
 * Returns the password ("" when the backup is not protected), or null after showing a problem.
 */
async function checkedPassword(view, input) {
  if (!page.open.info.protected) return '';
  const password = input.value;
  if (!password) {
    dialogError(view, 'This backup is protected: enter its password.');
    input.focus();
    return null;
  }
  try {
    await api('POST', `/backups/${page.open.slug}/password`, { password });
  } catch (e) {
    dialogError(view, problemOf(e));
    input.focus();
    input.select();
    return null;
  }
  page.open.password = password;
  for (const other of $$('[data-protected] input', $('#backup'))) other.value = password;
  return password;
}

// --- restore ------------------------------------------------------------------------------------

let restoreBlocked = false;

async function startRestoreView() {
  const info = page.open.info;
  partsPicker($('#restore-parts'), { homeassistant: Boolean(info.homeassistant),
    addons: info.addons.map(a => a.slug), folders: info.folders });
  $('#restore-force').checked = false;
  $('#restore-force-row').hidden = true;
  restoreBlocked = true;
  guardRestore();
  const list = $('#restore-preflight');
  list.replaceChildren(li('muted', 'Checking…'));
  try {
    restoreBlocked = renderPreflight(list, await api('GET', `/backups/${page.open.slug}/preflight`));
  } catch (e) {
    list.replaceChildren(li('warning', `The check before restoring could not run: ${problemOf(e)}`));
    restoreBlocked = false;
  }
  $('#restore-force-row').hidden = !restoreBlocked;
  guardRestore();
}

function guardRestore() {
  const submit = $('#restore-submit');
  submit.disabled = Boolean(page.running) || (restoreBlocked && !$('#restore-force').checked);
}

async function restore() {
  const view = $('#backup-view-restore');
  dialogError(view, '');
  if (noneChosen($('#restore-parts'))) {
    dialogError(view, 'Choose at least one part to restore.');
    return;
  }
  const password = await checkedPassword(view, $('#restore-password'));
  if (password === null) return;
  const full = allChosen($('#restore-parts'));
  const body = { password: password || null, background: true };
  if ($('#restore-force').checked) body.force = true;
  if (!full) Object.assign(body, chosenParts($('#restore-parts')));
  const slug = page.open.slug;
  let answer;
  try {
    answer = await api('POST', `/backups/${slug}/restore/${full ? 'full' : 'partial'}`, body);
  } catch (e) {
    dialogError(view, problemOf(e));
    return;
  }
  $('#backup').close();
  started({ uuid: answer.job_id, name: full ? 'backup_manager_full_restore'
    : 'backup_manager_partial_restore', reference: slug, stage: null, created:
    new Date().toISOString(), extra: {}, errors: [] });
}

// --- files --------------------------------------------------------------------------------------

function fillPartSelect(info) {
  const select = $('#files-part');
  select.replaceChildren(new Option('All parts', ''));
  if (info.homeassistant) select.append(new Option('Home Assistant', 'homeassistant'));
  for (const f of FOLDER_ORDER.filter(f => info.folders.includes(f))) {
    select.append(new Option(FOLDER_NAMES[f], f));
  }
  for (const a of info.addons) select.append(new Option(partName(a.slug), a.slug));
}

// Home Assistant's and the add-ons' files lie below "data/" in their part: shown without it, as
// they lie on the device.
function shownPath(part, path) {
  let rest = path === part ? '' : path.slice(part.length + 1);
  if (isDataPart(part)) rest = rest.replace(/^data(\/|$)/, '');
  return rest || '(the part itself)';
}

function isDataPart(part) {
  return part === 'homeassistant' || !FOLDER_NAMES[part];
}

async function browse() {
  const view = $('#backup-view-files');
  dialogError(view, '');
  const password = await checkedPassword(view, $('#files-password'));
  if (password === null) return;
  const part = $('#files-part').value;
  const filter = $('#files-filter').value.trim().replace(/^\/+/, '');
  const prefix = !part ? '' : !filter ? part
    : `${part}/${isDataPart(part) ? 'data/' : ''}${filter}`;
  const data = await api('POST', `/backups/${page.open.slug}/files`,
    { prefix, password: password || null }).catch(e => {
    dialogError(view, problemOf(e));
    return null;
  });
  if (!data) return;
  const needle = !part && filter ? filter.toLowerCase() : '';
  const files = data.files.filter(f => !needle
    || shownPath(f.part, f.path).toLowerCase().includes(needle));
  $('#files tbody').replaceChildren(...files.map(f => {
    const tr = document.createElement('tr');
    tr.append(cell(partName(f.part), 'part'), cell(shownPath(f.part, f.path)
      + (f.type === 'directory' ? '/' : ''), 'path'), cell(f.type === 'file'
      ? humanSize(f.size) : '', 'num'));
    return tr;
  }));
  const note = $('#files-note');
  note.hidden = !(data.truncated || !files.length);
  note.textContent = !files.length ? 'No files match.' : `Showing the first ${data.files.length}`
    + ' files only. Choose a part or type the start of a path to see others.';
}

// --- verify and delete --------------------------------------------------------------------------

async function verify() {
  const view = $('#backup-view-verify');
  const password = await checkedPassword(view, $('#verify-password'));
  if (password === null) return;
  const slug = page.open.slug;
  try {
    const answer = await api('POST', `/backups/${slug}/verify`,
      { password: password || null, background: true });
    $('#backup').close();
    started({ uuid: answer.job_id, name: 'haven_verify_backup', reference: slug, stage: null,
      created: new Date().toISOString(), extra: {}, errors: [] });
  } catch (e) {
    dialogError(view, problemOf(e));
  }
}

async function remove() {
  const view = $('#backup-view-delete');
  const b = page.open;
  try {
    await api('DELETE', `/backups/${b.slug}`);
  } catch (e) {
    dialogError(view, problemOf(e));
    return;
  }
  $('#backup').close();
  await refresh();
  showNotice(`Deleted “${b.info.name || b.slug}”.`);
}

// --- create -------------------------------------------------------------------------------------

async function openCreate() {
  const form = $('#create-form');
  form.reset();
  resetToggles(form);
  dialogError(form, '');
  $('#create-password-rows').hidden = true;
  $('#create-parts').hidden = true;
  partsPicker($('#create-parts'), await api('GET', '/haven/parts'), false);
  openDialog($('#create'), $('#create-name'));
}

async function create() {
  const form = $('#create-form');
  dialogError(form, '');
  const partial = form.kind.value === 'partial';
  if (partial && noneChosen($('#create-parts'))) {
    dialogError(form, 'Choose at least one part to back up.');
    return;
  }
  const protect = $('#create-protect').checked;
  const password = $('#create-password').value;
  if (protect && !password) {
    dialogError(form, 'Enter a password, or untick “Protect with a password”.');
    $('#create-password').focus();
    return;
  }
  if (protect && password !== $('#create-password2').value) {
    dialogError(form, 'The two passwords differ. Type the same password twice.');
    $('#create-password2').focus();
    return;
  }
  const compat = $('#create-compat').checked;
  const body = { name: $('#create-name').value.trim(), password: protect ? password : null,
    background: true, compression: compat ? 'gzip' : $('#create-compression').value,
    encryption: compat ? 'v2' : 'v3' };
  if (partial) Object.assign(body, chosenParts($('#create-parts')));
  let answer;
  try {
    answer = await api('POST', `/backups/new/${partial ? 'partial' : 'full'}`, body);
  } catch (e) {
    dialogError(form, problemOf(e));
    return;
  }
  $('#create').close();
  started({ uuid: answer.job_id, name: partial ? 'backup_manager_partial_backup'
    : 'backup_manager_full_backup', reference: null, stage: null,
  created: new Date().toISOString(), extra: {}, errors: [] });
}

// --- upload -------------------------------------------------------------------------------------

async function uploadChosen() {
  const input = $('#upload-file');
  const file = input.files[0];
  if (!file) return;
  $('#job').className = 'card running';
  $('#job-dismiss').hidden = true;
  try {
    const data = await uploadShown(file);
    await refresh();
    showNotice(`Added “${backupName(data.slug) || data.slug}” from ${file.name}.`);
  } catch (e) {
    showError(e instanceof ApiError ? problemOf(e, UPLOAD_PROBLEMS) : e.message);
  } finally {
    input.value = '';
  }
}

// --- views and start ----------------------------------------------------------------------------

function route() {
  const settings = location.hash === '#settings';
  $('#view-backups').hidden = settings;
  $('#view-settings').hidden = !settings;
  $('#back-home').hidden = !settings;
  $('#page-title').textContent = settings ? 'Backup settings' : 'Backups';
  document.title = settings ? 'Haven — Backup settings' : 'Haven — Backups';
  showError('');
  showNotice(page.pendingNotice || '');
  page.pendingNotice = null;
  if (settings) openSettings().catch(e => showError(problemOf(e)));
  else refresh().catch(e => showError(problemOf(e)));
}

async function login(token) {
  const form = $('#login-form');
  try {
    await api('POST', '/auth/session', { token });
  } catch (e) {
    dialogError(form, e.type === 'Unauthorized'
      ? 'That is not this device’s access token. Copy it again and try once more.'
      : problemOf(e));
    return;
  }
  $('#token').value = '';
  dialogError(form, '');
  signedIn();
}

function signedIn() {
  $('#login').hidden = true;
  $('#app').hidden = false;
  $('#logout').hidden = false;
  route();
  watchJobs();
}

function wire() {
  $('#login-form').addEventListener('submit', guarded(() => login($('#token').value)));
  $('#logout').addEventListener('click', guarded(async () => {
    await api('DELETE', '/auth/session');
    showLogin();
  }));
  $('#create-open').addEventListener('click', guarded(openCreate));
  $('#create-form').addEventListener('submit', guarded(create));
  $('#create-protect').addEventListener('change', () => {
    $('#create-password-rows').hidden = !$('#create-protect').checked;
    if ($('#create-protect').checked) $('#create-password').focus();
  });
  for (const radio of $$('#create-form input[name=kind]')) {
    radio.addEventListener('change', () => {
      $('#create-parts').hidden = $('#create-form').kind.value !== 'partial';
    });
  }
  $('#backup-view-restore').addEventListener('submit', guarded(restore));
  $('#restore-force').addEventListener('change', guardRestore);
  $('#backup-view-files').addEventListener('submit', guarded(browse));
  $('#backup-view-verify').addEventListener('submit', guarded(verify));
  $('#backup-view-delete').addEventListener('submit', guarded(remove));
  for (const b of $$('#backup [data-view]')) {
    b.addEventListener('click', () => showView(b.dataset.view));
  }
  $('#backup-back').addEventListener('click', () => showView('details'));
  $('#list-filter').addEventListener('change', renderList);
  $('#upload-file').addEventListener('change', guarded(uploadChosen));
  $('#upload-label').addEventListener('keydown', e => {
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); $('#upload-file').click(); }
  });
  window.addEventListener('hashchange', route);
  wireToggles();
  wireCloseButtons();
  if (typeof wireSettings === 'function') wireSettings();
}

async function start() {
  wire();
  try {
    await api('GET', '/auth/session');
    signedIn();
  } catch (e) {
    showLogin();
  }
}

start();
