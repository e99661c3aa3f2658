// The backup settings view (#settings): schedule, what automatic backups hold, how many are kept,
// the locations and the encryption key. Saved into the agent's config and locations files.
'use strict';

const DAY_NAMES = [['mon', 'Mon'], ['tue', 'Tue'], ['wed', 'Wed'], ['thu', 'Thu'], ['fri', 'Fri'],
  ['sat', 'Sat'], ['sun', 'Sun']];
const LOCATION_KINDS = {
  sftp: 'Network server (SFTP)', smb: 'Windows or NAS share (SMB)', webdav: 'WebDAV',
  webdavs: 'WebDAV', s3: 'S3 storage', file: 'Folder on this device', rclone: 'rclone remote',
};
const settingsState = { data: null, locations: [], parts: null };

async function openSettings() {
  const [data, locations, parts] = await Promise.all([api('GET', '/haven/settings'),
    api('GET', '/haven/locations'), api('GET', '/haven/parts')]);
  settingsState.data = data;
  settingsState.locations = locations.locations;
  settingsState.parts = parts;
  fillSchedule(data.schedule);
  fillContent(data.content, parts);
  fillRetention();
  fillLocations();
  // Without a configuration file there is nowhere to save them: shown, not editable.
  $('#settings-read-only').hidden = data.writable;
  $('#settings-from-config').disabled = !data.writable;
  $('#settings-save').disabled = !data.writable;
  loadKey().catch(() => { $('#key-body').textContent = 'The key cannot be read right now.'; });
}

function fillSchedule(s) {
  $('#schedule-recurrence').value = s.recurrence;
  const days = $('#schedule-days');
  days.replaceChildren(days.querySelector('legend'));
  for (const [value, label] of DAY_NAMES) {
    const l = document.createElement('label');
    l.className = 'check day';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = value;
    box.checked = s.days.includes(value);
    l.append(box, ' ' + label);
    days.append(l);
  }
  $('#schedule-time-kind').value = s.time ? 'fixed' : 'auto';
  $('#schedule-time').value = s.time ? s.time.slice(0, 5) : '04:45';
  $('#schedule-low').checked = s.low_priority;
  scheduleShown();
}

function scheduleShown() {
  const r = $('#schedule-recurrence').value;
  $('#schedule-days').hidden = r !== 'custom_days';
  $('#schedule-time-row').hidden = r === 'never';
  $('#schedule-time').hidden = $('#schedule-time-kind').value !== 'fixed';
}

function fillContent(c, parts) {
  $('#content-database').checked = c.database;
  const folders = $('#content-folders');
  folders.replaceChildren(folders.querySelector('legend'));
  for (const f of FOLDER_ORDER) {
    const l = document.createElement('label');
    l.className = 'check';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = f;
    box.checked = c.folders === 'all' || c.folders.includes(f);
    l.append(box, ' ' + FOLDER_NAMES[f]);
    folders.append(l);
  }
  const some = c.addons !== 'all';
  $$('input[name=addons-mode]').forEach(r => { r.checked = (r.value === 'some') === some; });
  const list = $('#content-addon-list');
  list.replaceChildren();
  for (const a of parts.addons) {
    const l = document.createElement('label');
    l.className = 'check';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = a;
    box.checked = !some || c.addons.includes(a);
    l.append(box, ' ' + partName(a));
    list.append(l);
  }
  if (!parts.addons.length) list.textContent = 'No add-ons are installed.';
  addonsShown();
}

function addonsShown() {
  const some = $('input[name=addons-mode]:checked').value === 'some';
  for (const box of $$('#content-addon-list input')) box.disabled = !some;
}

// One row of retention fields: "Keep the last [7] backups", "and none older than [30] days".
function retentionFields(prefix, r, label) {
  const box = document.createElement('fieldset');
  box.className = 'retention';
  box.dataset.prefix = prefix;
  const legend = document.createElement('legend');
  legend.textContent = label;
  box.append(legend);
  const mode = r.daily || r.weekly || r.monthly || r.yearly ? 'generations'
    : r.copies || r.days ? 'limit' : 'forever';
  const select = document.createElement('select');
  select.setAttribute('aria-label', `${label}: how to keep backups`);
  select.className = 'retention-mode';
  for (const [value, text] of [['forever', 'Keep them all'], ['limit', 'Keep a number of backups'],
    ['generations', 'Keep daily, weekly, monthly and yearly ones']]) {
    select.append(new Option(text, value));
  }
  select.value = mode;
  box.append(select);
  const fields = [['copies', 'Backups to keep', r.copies, 'limit'],
    ['days', 'Delete after (days)', r.days, 'limit'], ['daily', 'Daily', r.daily, 'generations'],
    ['weekly', 'Weekly', r.weekly, 'generations'], ['monthly', 'Monthly', r.monthly, 'generations'],
    ['yearly', 'Yearly', r.yearly, 'generations']];
  const grid = document.createElement('div');
  grid.className = 'number-grid';
  for (const [key, text, value, group] of fields) {
    const id = `${prefix}-${key}`;
    const wrap = document.createElement('div');
    wrap.dataset.group = group;
    const l = document.createElement('label');
    l.htmlFor = id;
    l.textContent = text;
    const input = document.createElement('input');
    input.type = 'number';
    input.min = '0';
    input.id = id;
    input.dataset.key = key;
    input.value = value || '';
    wrap.append(l, input);
    grid.append(wrap);
  }
  box.append(grid);
  const shown = () => {
    for (const w of grid.children) w.hidden = w.dataset.group !== select.value;
  };
  select.addEventListener('change', shown);
  shown();
  return box;
}

function readRetention(box) {
  const mode = $('.retention-mode', box).value;
  const out = {};
  for (const input of $$('input', box)) {
    if (input.parentElement.dataset.group !== mode) continue;
    const n = parseInt(input.value, 10);
    if (n > 0) out[input.dataset.key] = n;
  }
  return out;
}

function fillRetention() {
  const d = settingsState.data;
  $('#retention-global').replaceChildren(retentionFields('keep', d.retention, 'On this device'));
}

function fillLocations() {
  const list = $('#locations-list');
  list.replaceChildren();
  if (!settingsState.locations.length) {
    list.append(li('muted', 'No locations yet: backups stay on this device only.'));
  }
  for (const l of settingsState.locations) {
    const item = document.createElement('li');
    item.className = 'location';
    const head = document.createElement('div');
    head.className = 'location-head';
    const title = document.createElement('strong');
    title.textContent = l.name;
    const kind = document.createElement('span');
    kind.className = 'muted';
    kind.textContent = ` ${LOCATION_KINDS[l.kind] || l.kind}${l.host ? ' · ' + l.host : ''}`;
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'danger-text';
    remove.textContent = 'Remove';
    remove.setAttribute('aria-label', `Remove location ${l.name}`);
    remove.addEventListener('click', guarded(() => removeLocation(l.name), msg =>
      dialogError($('#settings-form'), msg)));
    head.append(title, kind, remove);
    const own = settingsState.data.location_retention[l.name];
    item.append(head, retentionFields(`keep-${l.name}`, own || {},
      `Backups to keep at ${l.name}`));
    list.append(item);
  }
}

async function removeLocation(name) {
  if (!confirm(`Remove the location “${name}”? The backups already there stay there.`)) return;
  await api('DELETE', `/haven/locations/${encodeURIComponent(name)}`);
  settingsState.locations = (await api('GET', '/haven/locations')).locations;
  fillLocations();
}

async function saveSettings() {
  const form = $('#settings-form');
  dialogError(form, '');
  const recurrence = $('#schedule-recurrence').value;
  const days = $$('#schedule-days input:checked').map(b => b.value);
  if (recurrence === 'custom_days' && !days.length) {
    dialogError(form, 'Choose at least one day for automatic backups.');
    return;
  }
  const folders = $$('#content-folders input');
  const someAddons = $('input[name=addons-mode]:checked').value === 'some';
  const body = {
    schedule: { recurrence, days, low_priority: $('#schedule-low').checked,
      time: $('#schedule-time-kind').value === 'fixed' ? $('#schedule-time').value : null },
    content: { database: $('#content-database').checked,
      folders: folders.every(b => b.checked) ? 'all'
        : folders.filter(b => b.checked).map(b => b.value),
      addons: someAddons ? $$('#content-addon-list input:checked').map(b => b.value) : 'all' },
    retention: readRetention($('#retention-global fieldset')),
    location_retention: {},
  };
  for (const box of $$('#locations-list fieldset.retention')) {
    const r = readRetention(box);
    if (Object.keys(r).length) body.location_retention[box.dataset.prefix.slice(5)] = r;
  }
  try {
    settingsState.data = await api('POST', '/haven/settings', body);
  } catch (e) {
    dialogError(form, problemOf(e));
    return;
  }
  page.pendingNotice = 'Settings saved.'; // shown once the Backups view is back
  location.hash = '';
}

// --- locations ----------------------------------------------------------------------------------

const LOCATION_FIELDS = {
  sftp: [['host', 'Server address', 'text'], ['port', 'Port (22 if empty)', 'number'],
    ['user', 'User name', 'text'], ['password', 'Password', 'password'],
    ['keyFile', 'Private key file on this device (instead of a password)', 'text'],
    ['path', 'Folder on the server', 'text']],
  smb: [['host', 'Server address', 'text'], ['user', 'User name', 'text'],
    ['password', 'Password', 'password'], ['path', 'Share and folder, e.g. backup/haven', 'text']],
  webdav: [['host', 'Server address', 'text'], ['port', 'Port', 'number'],
    ['user', 'User name', 'text'], ['password', 'Password', 'password'],
    ['path', 'Folder', 'text']],
  s3: [['bucket', 'Bucket', 'text'], ['path', 'Folder in the bucket (optional)', 'text'],
    ['endpoint', 'Address of the S3 service (empty for Amazon)', 'text'],
    ['region', 'Region (optional)', 'text'], ['accessKey', 'Access key', 'text'],
    ['secretKey', 'Secret key', 'password']],
  file: [['path', 'Folder, e.g. /media/usb-disk/backups', 'text']],
};

let pinned = null; // the fingerprint shown for the user to trust

function openLocation() {
  const form = $('#location-form');
  form.reset();
  pinned = null;
  $('#location-hostkey').hidden = true;
  $('#location-ok').hidden = true;
  dialogError(form, '');
  locationFields();
  openDialog($('#location'), $('#location-name'));
}

function locationFields() {
  const kind = $('#location-kind').value;
  const box = $('#location-fields');
  box.replaceChildren();
  for (const [key, label, type] of LOCATION_FIELDS[kind]) {
    const id = `location-${key}`;
    const l = document.createElement('label');
    l.htmlFor = id;
    l.textContent = label;
    const input = document.createElement('input');
    input.id = id;
    input.type = type;
    input.dataset.key = key;
    input.autocomplete = 'off';
    box.append(l, input);
  }
  $('#location-hostkey').hidden = true;
  pinned = null;
}

function locationBody() {
  const body = { name: $('#location-name').value.trim(), kind: $('#location-kind').value };
  for (const input of $$('#location-fields input')) {
    if (input.value) body[input.dataset.key] = input.type === 'number'
      ? parseInt(input.value, 10) : input.value;
  }
  if (pinned && $('#location-trust').checked) body.trust_host_key = pinned;
  return body;
}

async function tryLocation(save) {
  const form = $('#location-form');
  dialogError(form, '');
  $('#location-ok').hidden = true;
  const body = locationBody();
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(body.name)) {
    dialogError(form, 'Give the location a name of lower-case letters, digits, - and _.');
    $('#location-name').focus();
    return;
  }
  if (pinned && !$('#location-trust').checked) {
    dialogError(form, 'Check the server’s key above and tick “Trust this server’s key”.');
    return;
  }
  let answer;
  try {
    answer = await api('POST', save ? '/haven/locations' : '/haven/locations/test', body);
  } catch (e) {
    dialogError(form, problemOf(e));
    return;
  }
  if (answer.host_key) {
    pinned = answer.host_key;
    $('#location-fingerprint').textContent = answer.host_key;
    $('#location-trust').checked = false;
    $('#location-hostkey').hidden = false;
    $('#location-trust').focus();
    return;
  }
  if (!answer.ok) {
    dialogError(form, answer.message);
    return;
  }
  if (!save) {
    $('#location-ok').textContent = 'Haven wrote, read back and deleted a test file there.';
    $('#location-ok').hidden = false;
    return;
  }
  $('#location').close();
  settingsState.locations = (await api('GET', '/haven/locations')).locations;
  fillLocations();
  showNotice(`Added the location “${body.name}”.`);
}

// --- the encryption key -------------------------------------------------------------------------

async function loadKey() {
  const key = await api('GET', '/haven/key');
  const body = $('#key-body');
  body.replaceChildren();
  const row = document.createElement('div');
  row.className = 'with-toggle';
  const input = document.createElement('input');
  input.id = 'key-value';
  input.type = 'password';
  input.readOnly = true;
  input.value = key.key;
  input.setAttribute('aria-label', 'Encryption key');
  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'toggle secondary';
  toggle.setAttribute('aria-controls', 'key-value');
  toggle.textContent = 'Show';
  row.append(input, toggle);
  const note = document.createElement('p');
  note.className = 'hint';
  note.textContent = `Made ${humanDate(key.created)}.` + (key.old_keys
    ? ` Haven also keeps ${key.old_keys} older key${key.old_keys === 1 ? '' : 's'} for older`
      + ' backups.' : '');
  const actions = document.createElement('menu');
  actions.className = 'start';
  const kit = document.createElement('button');
  kit.type = 'button';
  kit.id = 'key-kit';
  kit.textContent = 'Download emergency kit';
  kit.addEventListener('click', guarded(downloadKit));
  const change = document.createElement('button');
  change.type = 'button';
  change.className = 'secondary';
  change.id = 'key-change';
  change.textContent = 'Change key';
  change.addEventListener('click', () => {
    $('#key-form').reset();
    dialogError($('#key-form'), '');
    openDialog($('#key-dialog'), $('#key-confirm'));
  });
  actions.append(kit, change);
  body.append(row, note, actions);
  wireToggles(body);
}

// The kit is made from the agent's answer in the page, so the key never sits in a URL.
async function downloadKit() {
  const kit = await api('GET', '/haven/key/kit');
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([kit.text], { type: 'text/plain' }));
  a.download = kit.file_name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

async function renewKey() {
  const form = $('#key-form');
  if (!$('#key-confirm').checked) {
    dialogError(form, 'Tick the box first: the new key needs a new emergency kit.');
    return;
  }
  try {
    await api('POST', '/haven/key/new');
  } catch (e) {
    dialogError(form, problemOf(e));
    return;
  }
  $('#key-dialog').close();
  await loadKey();
  showNotice('The encryption key was changed. Download the new emergency kit now.');
}

function wireSettings() {
  $('#schedule-recurrence').addEventListener('change', scheduleShown);
  $('#schedule-time-kind').addEventListener('change', scheduleShown);
  $$('input[name=addons-mode]').forEach(r => r.addEventListener('change', addonsShown));
  $('#settings-form').addEventListener('submit', guarded(saveSettings, msg =>
    dialogError($('#settings-form'), msg)));
  $('#location-add-open').addEventListener('click', openLocation);
  $('#location-kind').addEventListener('change', locationFields);
  $('#location-test').addEventListener('click', guarded(() => tryLocation(false), msg =>
    dialogError($('#location-form'), msg)));
  $('#location-form').addEventListener('submit', guarded(() => tryLocation(true), msg =>
    dialogError($('#location-form'), msg)));
  $('#key-form').addEventListener('submit', guarded(renewKey, msg =>
    dialogError($('#key-form'), msg)));
}
