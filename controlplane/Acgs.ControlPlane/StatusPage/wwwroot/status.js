// Constitutional Hash: cdd01ef066bc6cf2
// The ACGS mesh status page: renders the server-sent events of GET /api/v1/status/stream (the status every 2 s).
// Data is only ever inserted as text (textContent), never as HTML.
'use strict';

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text === null || text === undefined || text === '' ? '-' : String(text);
  if (className) td.className = className;
  return td;
}

function fill(id, items, columns, render) {
  const body = document.querySelector('#' + id + ' tbody');
  body.replaceChildren();
  if (!items || items.length === 0) {
    const row = body.insertRow();
    const td = cell(row, 'none', 'empty');
    td.colSpan = columns;
    return;
  }
  for (const item of items) render(body.insertRow(), item);
}

function state(row, text) {
  const td = row.insertCell();
  const span = document.createElement('span');
  span.className = 'state ' + (['healthy', 'in sync', 'succeeded', 'done'].includes(text) ? 'ok'
    : ['critical', 'NACKED', 'rolled_back', 'failed', 'compile failed'].includes(text) ? 'bad' : 'warn');
  span.textContent = text;
  td.appendChild(span);
}

function percent(rate) {
  return rate === null || rate === undefined ? '' : (rate * 100).toFixed(1) + '%';
}

function successClass(rate) {
  return rate === null || rate === undefined ? '' : rate < 0.95 ? 'low-success' : '';
}

function ms(value) {
  return value === null || value === undefined ? '' : value.toFixed(2) + ' ms';
}

function bytes(value) {
  if (!value) return '0 B';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (value >= 1024 && i < units.length - 1) { value /= 1024; i++; }
  return (i === 0 ? String(value) : value.toFixed(1)) + ' ' + units[i];
}

function render(status) {
  const mesh = status.mesh;
  const badge = document.getElementById('mesh-status');
  badge.textContent = mesh.status;
  badge.className = 'badge ' + mesh.status;
  document.getElementById('mesh-summary').textContent =
    `score ${mesh.score.toFixed(3)} · success ${percent(mesh.success_rate)} · ${(mesh.rps || 0).toFixed(1)} rps · ${mesh.services} services · ${mesh.nodes} nodes · ${mesh.silent_nodes} silent · ${mesh.open} open breaker(s)`;
  document.getElementById('emergency').hidden = !status.emergency_stop;

  const configs = new Map((status.service_config || []).map(c => [c.service, c]));
  fill('services', status.services, 9, (row, s) => {
    cell(row, s.service);
    state(row, s.status);
    cell(row, s.score.toFixed(3));
    cell(row, s.nodes.length);
    cell(row, `${s.closed} / ${s.half_open} / ${s.open}`, s.open > 0 ? 'open-breakers' : '');
    cell(row, percent(s.success_rate), successClass(s.success_rate));
    cell(row, (s.rps || 0).toFixed(1));
    cell(row, ms(s.p99_ms));
    const config = configs.get(s.service);
    state(row, !config ? 'no sidecar here' : config.config_state === 'in_sync' ? 'in sync'
      : config.config_state === 'quarantined_policy' ? 'quarantined: ' + config.quarantined.map(q => q.policy_id).join(', ')
      : config.config_state === 'stale' ? 'stale: ' + config.stale_sidecars.join(', ') : 'compile failed');
  });
  fill('edges', mesh.edges, 7, (row, e) => {
    cell(row, e.source);
    cell(row, e.destination);
    cell(row, e.reported_by);
    cell(row, e.rps.toFixed(1));
    cell(row, percent(e.success_rate), successClass(e.success_rate));
    cell(row, ms(e.p50_ms));
    cell(row, ms(e.p99_ms));
  });
  fill('top-callers', status.top_callers, 6, (row, c) => {
    cell(row, c.source, 'name').title = c.source;
    cell(row, c.service);
    cell(row, c.requests, 'num');
    cell(row, c.messages, 'num');
    cell(row, `${bytes(c.request_bytes)} / ${bytes(c.response_bytes)}`, 'num');
    cell(row, ms(c.mean_ms), 'num');
  });
  fill('sidecars', status.sidecars, 6, (row, w) => {
    cell(row, w.service_name);
    cell(row, w.node_id);
    cell(row, w.address);
    cell(row, w.pushed_version);
    cell(row, w.acked_version);
    state(row, !w.pushed_version ? 'waiting' : w.acked_version === w.pushed_version ? 'in sync'
      : w.nacked_version === w.pushed_version ? 'NACKED' : 'pending');
  });
  fill('rollouts', status.rollouts, 6, (row, r) => {
    cell(row, r.id);
    cell(row, r.service);
    state(row, r.phase);
    const td = row.insertCell();
    const bar = document.createElement('span');
    bar.className = 'bar';
    const green = document.createElement('span');
    green.style.width = r.green_weight + '%';
    bar.appendChild(green);
    td.append(bar, ` ${r.blue_weight} / ${r.green_weight}`);
    cell(row, `${r.step}/${r.step_count}`);
    cell(row, r.last_check ? (r.last_check.passed ? 'passed: ' : 'failed: ') + r.last_check.detail : '');
  });
  fill('recovery', status.recovery, 5, (row, t) => {
    cell(row, t.service);
    state(row, t.state);
    cell(row, t.strategy);
    cell(row, `${t.attempts}/${t.max_attempts}`);
    cell(row, t.last_result);
  });
  document.getElementById('audit-chain').textContent = status.audit_chain_valid ? '(chain valid)' : '(CHAIN BROKEN)';
  fill('audit', status.recent_audit, 6, (row, a) => {
    cell(row, a.sequence);
    cell(row, a.timestamp.replace('T', ' ').substring(0, 19));
    cell(row, a.actor);
    cell(row, a.action);
    cell(row, a.policy_id);
    cell(row, a.version);
  });
  document.getElementById('generated').textContent = 'updated ' + status.generated_at.replace('T', ' ').substring(0, 19) + ' UTC';
  document.getElementById('hash').textContent = status.constitutional_hash;
}

function live(on, text) {
  const el = document.getElementById('live');
  el.textContent = text || (on ? '● live' : '○ reconnecting');
  el.className = on ? 'live on' : 'live';
}

// The read (or admin) token of the control plane's API: from the URL's fragment (#token=..., never sent to the server),
// else this tab's session storage, else asked for when the API answers 401/403.
function token() {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem('acgs-token', decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname);
  }
  return sessionStorage.getItem('acgs-token');
}

function headers() {
  const t = token();
  return t ? { Authorization: 'Bearer ' + t } : {};
}

function askForToken(status) {
  live(false, status === 401 ? '○ token needed' : '○ token refused');
  const form = document.getElementById('token-form');
  form.hidden = false;
  form.onsubmit = e => {
    e.preventDefault();
    sessionStorage.setItem('acgs-token', document.getElementById('token-input').value.trim());
    form.hidden = true;
    connect();
  };
}

// Server-sent events read with fetch (EventSource cannot send an Authorization header).
async function connect() {
  let response;
  try {
    response = await fetch('/api/v1/status/stream', { headers: headers(), cache: 'no-store' });
  } catch {
    live(false);
    setTimeout(connect, 2000);
    return;
  }
  if (response.status === 401 || response.status === 403) {
    askForToken(response.status);
    return;
  }
  if (!response.ok || !response.body) {
    live(false);
    setTimeout(connect, 2000);
    return;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.substring(0, end);
        buffer = buffer.substring(end + 2);
        const data = event.split('\n').filter(l => l.startsWith('data: ')).map(l => l.substring(6)).join('\n');
        if (data) {
          live(true);
          render(JSON.parse(data));
        }
      }
    }
  } catch {
    // connection lost: reconnect below
  }
  live(false);
  setTimeout(connect, 2000);
}

connect();
