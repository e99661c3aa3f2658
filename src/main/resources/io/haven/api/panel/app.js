// Haven's web panel: plain browser JavaScript against the Supervisor-shaped API. The session is a
// cookie set by /auth/session, so downloads are plain links and the token never appears in a URL.
// Every call carries X-Haven-Request: the agent refuses a browser's state-changing call without it,
// which other sites' pages cannot add (CSRF).
'use strict';

const $ = (sel, root = document) => root.querySelector(sel);
const FOLDER_NAMES = { share: 'Share', 'addons/local': 'Local add-ons', ssl: 'SSL', media: 'Media' };

async function api(method, path, body) {
  const init = { method, credentials: 'same-origin', headers: { 'X-Haven-Request': '1' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  if (res.status === 401 && path !== '/auth/session') {
    showLogin();
    throw new Error('Please sign in again.');
  }
  const json = await res.json().catch(() => ({ result: 'error', message: res.statusText }));
  if (json.result !== 'ok') {
    throw new Error(json.message || `${method} ${path} failed (${res.status})`);
  }
  return json.data;
}

function showError(message) {
  const el = $('#error');
  el.textContent = message;
  el.hidden = !message;
}

function showNotice(message) {
  const el = $('#notice');
  el.textContent = message;
  el.hidden = !message;
}

function showLogin() {
  $('#login').hidden = false;
  $('#app').hidden = true;
}

function humanSize(bytes) {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = bytes, u = -1;
  while (v >= 1000 && u < units.length - 1) { v /= 1000; u++; }
  return `${v.toFixed(1)} ${units[u]}`;
}

function contents(b) {
  const parts = [];
  if (b.content.homeassistant) parts.push('Home Assistant');
  parts.push(...b.content.addons);
  parts.push(...b.content.folders.map(f => FOLDER_NAMES[f] || f));
  return parts.join(', ');
}

async function refresh() {
  const data = await api('GET', '/backups/info');
  const rows = $('#backups tbody');
  rows.replaceChildren();
  const backups = [...data.backups].sort((a, b) => b.date.localeCompare(a.date));
  for (const b of backups) rows.append(row(b));
  $('#empty').hidden = backups.length > 0;
  $('#backups').hidden = backups.length === 0;
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

function row(b) {
  const tr = document.createElement('tr');
  tr.dataset.slug = b.slug;
  const cells = [b.name || b.slug, new Date(b.date).toLocaleString(), humanSize(b.size_bytes),
    b.type, contents(b), '', b.locations.map(l => l || 'This device').join(', ')];
  for (const text of cells) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.append(td);
  }
  tr.cells[5].className = 'protected';
  if (b.protected) tr.cells[5].append(lockIcon());
  const actions = document.createElement('td');
  actions.className = 'actions';
  const download = document.createElement('a');
  download.href = `/backups/${b.slug}/download`;
  download.textContent = 'Download';
  download.className = 'button link';
  actions.append(download,
    button('Details', () => openDetails(b)),
    button('Verify', () => verify(b)),
    button('Restore', () => openRestore(b)),
    button('Delete', () => openDelete(b)));
  tr.append(actions);
  return tr;
}

function button(label, onClick) {
  const el = document.createElement('button');
  el.type = 'button';
  el.className = 'link';
  el.textContent = label;
  el.addEventListener('click', () => {
    showError('');
    showNotice('');
    onClick().catch(e => showError(e.message));
  });
  return el;
}

// --- parts pickers ------------------------------------------------------------------------------

function partsPicker(fieldset, available) {
  fieldset.replaceChildren();
  const add = (value, label) => {
    const l = document.createElement('label');
    l.innerHTML = '<input type="checkbox">';
    l.firstChild.value = value;
    l.append(' ' + label);
    fieldset.append(l);
  };
  if (available.homeassistant) add('homeassistant', 'Home Assistant');
  for (const a of available.addons) add('addon:' + a, `Add-on ${a}`);
  for (const f of available.folders) add('folder:' + f, FOLDER_NAMES[f] || f);
}

function chosenParts(fieldset) {
  const chosen = { homeassistant: false, addons: [], folders: [] };
  for (const box of fieldset.querySelectorAll('input:checked')) {
    if (box.value === 'homeassistant') chosen.homeassistant = true;
    else if (box.value.startsWith('addon:')) chosen.addons.push(box.value.slice(6));
    else chosen.folders.push(box.value.slice(7));
  }
  return chosen;
}

function wireKind(form, fieldset) {
  for (const radio of form.querySelectorAll('input[name=kind]')) {
    radio.addEventListener('change', () => { fieldset.hidden = form.kind.value !== 'partial'; });
  }
}

// --- jobs ---------------------------------------------------------------------------------------

// Follows a job until it is done. Network hiccups are retried: a job still running is never
// reported as failed.
async function follow(jobId, title) {
  const panel = $('#job');
  panel.hidden = false;
  $('#job-title').textContent = title;
  const started = Date.now();
  for (;;) {
    let job;
    try {
      job = await api('GET', `/jobs/${jobId}`);
    } catch (e) {
      $('#job-detail').textContent = 'Reconnecting…';
      await sleep(1000);
      continue;
    }
    render(job, started);
    if (job.done === true) {
      panel.hidden = true;
      if (job.errors && job.errors.length) throw new Error(job.errors[0].message);
      return job;
    }
    await sleep(500);
  }
}

function render(job, started) {
  const done = (job.extra && job.extra.bytes_done) || 0;
  const total = (job.extra && job.extra.bytes_total) || 0;
  $('#job-stage').textContent = job.stage || 'starting';
  $('#job-bar').value = total ? Math.min(100, (done * 100) / total) : job.progress || 0;
  const seconds = Math.max(0.001, (Date.now() - started) / 1000);
  const rate = done / seconds;
  const eta = rate > 0 && total > done ? `, about ${Math.ceil((total - done) / rate)} s left` : '';
  $('#job-detail').textContent = total === 0 ? 'Preparing…'
    : `${humanSize(done)} of ${humanSize(total)}, ${(rate / 1e6).toFixed(1)} MB/s${eta}`;
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

// --- create -------------------------------------------------------------------------------------

async function openCreate() {
  const dialog = $('#create');
  const form = $('#create-form');
  form.reset();
  partsPicker($('#create-parts'), await api('GET', '/haven/parts'));
  $('#create-parts').hidden = true;
  dialog.showModal();
}

async function create() {
  const form = $('#create-form');
  const body = {
    name: form.name.value, password: form.password.value || null, background: true,
    compression: form.compat.checked ? 'gzip' : form.compression.value,
    encryption: form.compat.checked ? 'v2' : 'v3',
  };
  let path = '/backups/new/full';
  if (form.kind.value === 'partial') {
    Object.assign(body, chosenParts($('#create-parts')));
    path = '/backups/new/partial';
  }
  $('#create').close();
  const { job_id: jobId } = await api('POST', path, body);
  await follow(jobId, 'Creating backup');
  await refresh();
  showNotice('Backup created.');
}

// --- restore ------------------------------------------------------------------------------------

let restoring = null;

async function openRestore(b) {
  restoring = b;
  const form = $('#restore-form');
  form.reset();
  $('#restore-name').textContent = b.name || b.slug;
  $('#restore-password-row').hidden = !b.protected;
  partsPicker($('#restore-parts'), {
    homeassistant: b.content.homeassistant, addons: b.content.addons, folders: b.content.folders,
  });
  $('#restore-parts').hidden = true;
  $('#restore-submit').disabled = true;
  $('#restore-force-row').hidden = true;
  $('#restore').showModal();
  guardForce(await preflight(b.slug), $('#restore-force-row'), form.force, $('#restore-submit'));
}

// Shows the preflight's findings in #preflight; returns true when one blocks the restore.
async function preflight(slug) {
  const list = $('#preflight');
  list.replaceChildren(item('muted', 'Checking…'));
  try {
    const data = await api('GET', `/backups/${slug}/preflight`);
    list.replaceChildren();
    if (!data.findings.length) list.append(item('', 'No problems found.'));
    for (const f of data.findings) {
      const label = { blocking: 'Blocks the restore', warning: 'Warning', info: 'Note' }[f.severity];
      list.append(item(f.severity, `${label}: ${f.message}` + (f.action ? ` — ${f.action}` : '')));
    }
    return data.findings.some(f => f.severity === 'blocking');
  } catch (e) {
    list.replaceChildren(item('warning', `The preflight could not run: ${e.message}`));
    return false;
  }
}

function item(className, text) {
  const li = document.createElement('li');
  li.className = className;
  li.textContent = text;
  return li;
}

// A blocking finding disables Restore until the user ticks "restore anyway" (force).
function guardForce(blocked, forceRow, forceBox, submit) {
  forceRow.hidden = !blocked;
  forceBox.checked = false;
  submit.disabled = blocked;
  forceBox.onchange = () => { submit.disabled = blocked && !forceBox.checked; };
}

async function restore() {
  const form = $('#restore-form');
  const body = { password: form.password.value || null, background: true };
  if (form.force.checked) body.force = true;
  let path = `/backups/${restoring.slug}/restore/full`;
  if (form.kind.value === 'partial') {
    Object.assign(body, chosenParts($('#restore-parts')));
    path = `/backups/${restoring.slug}/restore/partial`;
  }
  $('#restore').close();
  const { job_id: jobId } = await api('POST', path, body);
  await follow(jobId, `Restoring ${restoring.name || restoring.slug}`);
  await refresh();
  showNotice('Restore finished.');
}

// --- details, browse, verify, delete ------------------------------------------------------------

let detailed = null;

async function openDetails(b) {
  detailed = b;
  const info = await api('GET', `/backups/${b.slug}/info`);
  $('#details-title').textContent = info.name || info.slug;
  const dl = $('#details-list');
  dl.replaceChildren();
  const facts = {
    Slug: info.slug, Date: new Date(info.date).toLocaleString(), Type: info.type,
    Size: humanSize(info.size_bytes), Protected: info.protected ? 'yes' : 'no',
    'Home Assistant': info.homeassistant || 'not included',
    'Add-ons': info.addons.map(a => `${a.name} ${a.version}`).join(', ') || 'none',
    Folders: info.folders.join(', ') || 'none',
  };
  for (const [k, v] of Object.entries(facts)) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  }
  $('#browse-password-row').hidden = !b.protected;
  $('#files tbody').replaceChildren();
  $('#details').showModal();
}

async function browse() {
  const body = { prefix: $('#browse-filter').value, password: $('#browse-password').value || null };
  const data = await api('POST', `/backups/${detailed.slug}/files`, body);
  const rows = $('#files tbody');
  rows.replaceChildren();
  if (!data.files.length) showNotice('No files match that path.');
  for (const f of data.files) {
    const tr = document.createElement('tr');
    for (const text of [f.path, f.type === 'file' ? humanSize(f.size) : f.type]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    rows.append(tr);
  }
  if (data.truncated) {
    showNotice(`Showing the first ${data.files.length} files only: filter by path to see more.`);
  }
}

let verifying = null;

async function verify(b) {
  verifying = b;
  if (!b.protected) return runVerify(null);
  const form = $('#verify-form');
  form.reset();
  $('#verify-name').textContent = b.name || b.slug;
  $('#verify').showModal();
}

async function runVerify(password) {
  const b = verifying;
  const { job_id: jobId } = await api('POST', `/backups/${b.slug}/verify`,
    { password, background: true });
  await follow(jobId, `Verifying ${b.name || b.slug}`);
  showNotice(`${b.name || b.slug} is intact: every part read and checked.`);
}

let deleting = null;

async function openDelete(b) {
  deleting = b;
  $('#delete-name').textContent = b.name || b.slug;
  $('#confirm-delete').showModal();
}

// --- upload -------------------------------------------------------------------------------------

// XMLHttpRequest, not fetch: it reports upload progress. The file is streamed by the browser.
function upload(file) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/backups/new/upload?filename=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('Content-Type', 'application/x-tar');
    xhr.setRequestHeader('X-Haven-Request', '1');
    const panel = $('#job');
    panel.hidden = false;
    $('#job-title').textContent = `Uploading ${file.name}`;
    const started = Date.now();
    xhr.upload.onprogress = e => render({ stage: 'upload', extra: {
      bytes_done: e.loaded, bytes_total: e.total } }, started);
    xhr.onload = () => {
      panel.hidden = true;
      let json = {};
      try { json = JSON.parse(xhr.responseText || '{}'); } catch (e) { /* not the agent's JSON */ }
      if (json.result === 'ok') resolve(json.data);
      else reject(new Error(json.message || `Upload failed (${xhr.status} ${xhr.statusText})`));
    };
    xhr.onerror = () => { panel.hidden = true; reject(new Error('The upload was interrupted.')); };
    xhr.send(file);
  });
}

// --- start --------------------------------------------------------------------------------------

async function login(token) {
  await api('POST', '/auth/session', { token });
  $('#token').value = '';
  $('#login').hidden = true;
  $('#app').hidden = false;
  showError('');
  await refresh();
}

function wire() {
  const guard = fn => event => {
    if (event) event.preventDefault();
    showError('');
    showNotice('');
    fn(event).catch(e => showError(e.message));
  };
  $('#verify-form').addEventListener('submit', guard(async event => {
    $('#verify').close();
    if (event.submitter && event.submitter.value === 'verify') {
      await runVerify($('#verify-password').value || null);
    }
  }));
  $('#logout').addEventListener('click', guard(async () => {
    await api('DELETE', '/auth/session');
    showNotice('');
    showLogin();
  }));
  $('#login-form').addEventListener('submit', guard(() => login($('#token').value)));
  $('#create-open').addEventListener('click', guard(openCreate));
  $('#create-form').addEventListener('submit', guard(create));
  $('#restore-form').addEventListener('submit', guard(restore));
  $('#browse-load').addEventListener('click', guard(browse));
  $('#confirm-delete form').addEventListener('submit', guard(async event => {
    $('#confirm-delete').close();
    if (!event.submitter || event.submitter.value !== 'delete') return;
    await api('DELETE', `/backups/${deleting.slug}`);
    await refresh();
    showNotice(`Deleted ${deleting.name || deleting.slug}.`);
  }));
  $('#upload-file').addEventListener('change', guard(async () => {
    const file = $('#upload-file').files[0];
    if (!file) return;
    const data = await upload(file);
    $('#upload-file').value = '';
    await refresh();
    showNotice(`Uploaded backup ${data.slug}.`);
  }));
  for (const close of document.querySelectorAll('dialog .close')) {
    close.addEventListener('click', () => close.closest('dialog').close());
  }
  wireKind($('#create-form'), $('#create-parts'));
  wireKind($('#restore-form'), $('#restore-parts'));
}

async function start() {
  wire();
  try {
    await api('GET', '/auth/session');
    $('#app').hidden = false;
    await refresh();
  } catch (e) {
    showLogin();
  }
}

if ($('#backups')) start();
