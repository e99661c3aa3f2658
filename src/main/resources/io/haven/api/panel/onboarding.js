// The onboarding page: upload or pick a backup, choose its parts, check it, restore it.
'use strict';

let chosen = null;
let blocked = false;

function showLogin() {
  $('#login').hidden = false;
  $('#app').hidden = true;
}

async function choose(slug) {
  const form = $('#step-check');
  dialogError(form, '');
  chosen = await api('GET', `/backups/${slug}/info`);
  for (const a of chosen.addons) if (a.name) addonNames[a.slug] = a.name;
  $('#chosen').textContent = `“${chosen.name || chosen.slug}”, made ${humanDate(chosen.date)},`
    + ` ${humanSize(chosen.size_bytes)}.`;
  partsPicker($('#onboarding-parts'), { homeassistant: Boolean(chosen.homeassistant),
    addons: chosen.addons.map(a => a.slug), folders: chosen.folders });
  $('#onboarding-password-row').hidden = !chosen.protected;
  form.hidden = false;
  $('#onboarding-restore').disabled = true;
  $('#onboarding-force').checked = false;
  const list = $('#preflight');
  list.replaceChildren(li('muted', 'Checking…'));
  try {
    blocked = renderPreflight(list, await api('GET', `/backups/${chosen.slug}/preflight`));
  } catch (e) {
    list.replaceChildren(li('warning', `The check could not run: ${problemOf(e)}`));
    blocked = false;
  }
  $('#onboarding-force-row').hidden = !blocked;
  guard();
  (chosen.protected ? $('#onboarding-password') : $('#onboarding-restore')).focus();
}

function guard() {
  $('#onboarding-restore').disabled = blocked && !$('#onboarding-force').checked;
}

async function loadExisting() {
  const data = await api('GET', '/backups/info');
  const select = $('#existing');
  select.replaceChildren(new Option('or pick one already on this device', ''));
  for (const b of data.backups) {
    select.append(new Option(`${b.name || b.slug} (${humanDate(b.date)})`, b.slug));
  }
}

async function restoreChosen() {
  const form = $('#step-check');
  dialogError(form, '');
  const parts = $('#onboarding-parts');
  if (noneChosen(parts)) {
    dialogError(form, 'Choose at least one part to restore.');
    return;
  }
  const password = $('#onboarding-password').value;
  if (chosen.protected) {
    if (!password) {
      dialogError(form, 'This backup is protected: enter its password or encryption key.');
      $('#onboarding-password').focus();
      return;
    }
    try {
      await api('POST', `/backups/${chosen.slug}/password`, { password });
    } catch (e) {
      dialogError(form, problemOf(e, { WrongPassword: 'That password or key does not open this'
        + ' backup. Check it and try again.' }));
      $('#onboarding-password').focus();
      return;
    }
  }
  const full = allChosen(parts);
  const body = { password: password || null, background: true };
  if ($('#onboarding-force').checked) body.force = true;
  if (!full) Object.assign(body, chosenParts(parts));
  let answer;
  try {
    answer = await api('POST', `/backups/${chosen.slug}/restore/${full ? 'full' : 'partial'}`,
      body);
  } catch (e) {
    dialogError(form, problemOf(e));
    return;
  }
  form.hidden = true;
  $('#step-choose').hidden = true;
  const job = await followJob(answer.job_id);
  const result = jobResult(job, chosen.name);
  if (!result.ok) {
    form.hidden = false;
    $('#step-choose').hidden = false;
    dialogError(form, result.text);
    return;
  }
  $('#step-done').hidden = false;
  $('#done-title').focus();
}

// Polls the job until it ends; a hiccup of the network is retried, never reported as a failure.
async function followJob(uuid) {
  const rate = new RateMeter();
  const card = $('#job');
  card.hidden = false;
  for (;;) {
    let job = null;
    try {
      job = await api('GET', `/jobs/${uuid}`);
    } catch (e) {
      $('#job-detail').textContent = 'Reconnecting…';
    }
    if (job) {
      $('#job-title').textContent = jobTitle(job, rate.add(job));
      const total = job.extra.bytes_total;
      if (total) $('#job-bar').value = (job.extra.bytes_done * 100) / total;
      $('#job-detail').textContent = jobDetail(job, chosen.name);
      if (job.done) {
        card.hidden = true;
        return job;
      }
    }
    await sleep(600);
  }
}

function wireOnboarding() {
  const report = msg => showError(msg);
  $('#login-form').addEventListener('submit', guarded(async () => {
    try {
      await api('POST', '/auth/session', { token: $('#token').value });
    } catch (e) {
      dialogError($('#login-form'), 'That is not this device’s access token.');
      return;
    }
    $('#login').hidden = true;
    $('#app').hidden = false;
    await loadExisting();
  }, report));
  $('#onboarding-file').addEventListener('change', guarded(async () => {
    const file = $('#onboarding-file').files[0];
    if (!file) return;
    showError('');
    try {
      const { slug } = await uploadShown(file);
      await loadExisting();
      $('#existing').value = slug;
      await choose(slug);
    } catch (e) {
      showError(e instanceof ApiError ? problemOf(e, UPLOAD_PROBLEMS) : e.message);
    } finally {
      $('#onboarding-file').value = '';
    }
  }, report));
  $('#onboarding-upload').addEventListener('keydown', e => {
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); $('#onboarding-file').click(); }
  });
  $('#existing').addEventListener('change', guarded(async () => {
    if ($('#existing').value) await choose($('#existing').value);
  }, report));
  $('#onboarding-force').addEventListener('change', guard);
  $('#step-check').addEventListener('submit', guarded(restoreChosen, msg =>
    dialogError($('#step-check'), msg)));
  wireToggles();
}

wireOnboarding();
loadExisting().catch(() => {});
