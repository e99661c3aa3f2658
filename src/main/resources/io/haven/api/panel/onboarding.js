// The onboarding page: upload or pick a backup, check it, restore it. Uses app.js's helpers.
'use strict';

let chosen = null;

async function choose(slug) {
  chosen = await api('GET', `/backups/${slug}/info`);
  $('#chosen').textContent = `${chosen.name || chosen.slug}, ${new Date(chosen.date).toLocaleString()},`
    + ` ${humanSize(chosen.size_bytes)}`;
  $('#onboarding-password-row').hidden = !chosen.protected;
  $('#step-check').hidden = false;
  $('#onboarding-restore').disabled = true;
  guardForce(await preflight(chosen.slug), $('#onboarding-force-row'), $('#onboarding-force'),
    $('#onboarding-restore'));
}

async function loadExisting() {
  const data = await api('GET', '/backups/info');
  const select = $('#existing');
  select.replaceChildren(new Option('—', ''));
  for (const b of data.backups) {
    const option = document.createElement('option');
    option.value = b.slug;
    option.textContent = `${b.name || b.slug} (${new Date(b.date).toLocaleString()})`;
    select.append(option);
  }
}

async function restoreChosen() {
  const body = { password: $('#onboarding-password').value || null, background: true };
  if ($('#onboarding-force').checked) body.force = true;
  const { job_id: jobId } = await api('POST', `/backups/${chosen.slug}/restore/full`, body);
  $('#step-check').hidden = true;
  $('#step-choose').hidden = true;
  try {
    await follow(jobId, `Restoring ${chosen.name || chosen.slug}`);
  } catch (e) {
    $('#step-check').hidden = false;
    $('#step-choose').hidden = false;
    throw e;
  }
  $('#step-done').hidden = false;
}

function wireOnboarding() {
  const guard = fn => event => {
    if (event) event.preventDefault();
    showError('');
    fn(event).catch(e => showError(e.message));
  };
  $('#login-form').addEventListener('submit', guard(async () => {
    await api('POST', '/auth/session', { token: $('#token').value });
    $('#login').hidden = true;
    $('#app').hidden = false;
    await loadExisting();
  }));
  $('#onboarding-file').addEventListener('change', guard(async () => {
    const file = $('#onboarding-file').files[0];
    if (!file) return;
    const { slug } = await upload(file);
    $('#onboarding-file').value = '';
    await loadExisting();
    $('#existing').value = slug;
    await choose(slug);
  }));
  $('#existing').addEventListener('change', guard(async () => {
    if ($('#existing').value) await choose($('#existing').value);
  }));
  $('#onboarding-restore').addEventListener('click', guard(restoreChosen));
}

wireOnboarding();
loadExisting().catch(() => {});
