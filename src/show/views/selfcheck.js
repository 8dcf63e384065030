'use strict';
(function () {
  var M = JSON.parse(document.getElementById('model').textContent);
  var T = M.text;
  var form = document.getElementById('selfcheck');
  var result = document.getElementById('result');
  var de = M.lang === 'de';
  function num(v, d) { var s = v.toFixed(d); return de ? s.replace('.', ',') : s; }
  function esc(s) { return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'); }
  function fill(template, values) { return template.replace(/\{(\w+)\}/g, function (_, k) { return values[k]; }); }
  // the squared distance in the order of typfrage's squared_distance: four lanes, then the rest
  function sqdist(a, b) {
    var n = a.length, lanes = [0, 0, 0, 0], i = 0, q, t;
    for (; i + 4 <= n; i += 4) { for (q = 0; q < 4; q++) { t = a[i + q] - b[i + q]; lanes[q] += t * t; } }
    var sum = (lanes[0] + lanes[2]) + (lanes[1] + lanes[3]);
    for (; i < n; i++) { t = a[i] - b[i]; sum += t * t; }
    return sum;
  }
  function share(count, base) {
    if (count > 0 && count < 5) { return '<5 ' + (de ? 'von ' : 'of ') + base; }
    return num(100 * count / base, 0) + ' %';
  }
  // ratings: {values: [number|null], invalid: {name, value}|null}
  function fromParams(params) {
    var values = [], invalid = null;
    M.variables.forEach(function (v) {
      var raw = params.get(v);
      if (raw === null || raw === '') { values.push(null); return; }
      var code = Number(raw);
      if (!/^-?[0-9]+$/.test(raw.trim()) || M.codes.indexOf(code) < 0) {
        if (!invalid) { invalid = { name: v, value: raw }; }
        values.push(null);
        return;
      }
      values.push(code);
    });
    return { values: values, invalid: invalid };
  }
  function fromForm() {
    var params = new URLSearchParams();
    M.variables.forEach(function (v) {
      var checked = form.querySelector('input[name="' + v + '"]:checked');
      if (checked && checked.value !== '') { params.set(v, checked.value); }
    });
    return params;
  }
  function setForm(values) {
    M.variables.forEach(function (v, j) {
      var value = values[j] === null ? '' : String(values[j]);
      var input = form.querySelector('input[name="' + v + '"][value="' + value + '"]');
      if (input) { input.checked = true; }
    });
  }
  // the rule of classify
  function assign(values) {
    var x = [], imputed = [], missing = [];
    for (var j = 0; j < values.length; j++) {
      var v = values[j];
      if (v === null) {
        if (M.missing === 'mean' && M.imputation_means) { v = M.imputation_means[j]; imputed.push(M.labels[j]); }
        else { missing.push(M.labels[j]); continue; }
      }
      x.push((v - M.center[j]) / M.scale[j]);
    }
    if (missing.length) { return { missing: missing }; }
    var sq = M.types.map(function (t) { return sqdist(t.centroid_scaled, x); });
    var best = 0;
    for (var i = 1; i < sq.length; i++) { if (sq[i] < sq[best]) { best = i; } }
    var d = sq.map(Math.sqrt);
    var second = Infinity;
    d.forEach(function (di, i) { if (i !== best) { second = Math.min(second, di); } });
    return { best: best, distances: d, margin: second - d[best], imputed: imputed, values: values, point: x };
  }
  // the share of the model's bootstrap resamples whose matched centres put the point into
  // each type (the nearest centre, the first on a tie: the rule of classify)
  function certainty(best, a) {
    var x = a.point, votes = M.types.map(function () { return 0; });
    M.resampled.forEach(function (centres) {
      var k = 0, dk = sqdist(centres[0], x);
      for (var i = 1; i < centres.length; i++) { var di = sqdist(centres[i], x); if (di < dk) { k = i; dk = di; } }
      votes[k] += 1;
    });
    var b = M.resampled.length, other = -1;
    votes.forEach(function (v, i) { if (i !== best && v > 0 && (other < 0 || v > votes[other])) { other = i; } });
    var own = M.types[best].name, text = fill(T.certainty, { n: votes[best], b: b, own: own });
    if (other >= 0) {
      text += fill(votes[best] < M.certain_from * b ? T.certainty_borderline : T.certainty_else, { own: own, other: M.types[other].name });
    } else { text += '.'; }
    return '<p class="certainty" data-certainty="' + (votes[best] / b) + '">' + esc(text) + '</p>';
  }
  // the surveyed rows nearest to the point (the nearest first, on a tie the earlier
  // row), with their certainty where the model carries resamples: position --survey's list
  function nearest(a) {
    var S = M.surveyed, order = [];
    var d = S.points.map(function (p) { return Math.sqrt(sqdist(p, a.point)); });
    for (var i = 0; i < d.length; i++) { order.push(i); }
    order.sort(function (p, q) { return d[p] - d[q] || p - q; });
    var head = T.nearest_head.split('|'), withCertainty = S.resamples !== null;
    var h = '<table class="nearest"><caption>' + esc(fill(T.nearest, { label: S.label })) + '</caption><tr>';
    head.slice(0, withCertainty ? 4 : 3).forEach(function (c, j) { h += '<th' + (j >= 2 ? ' class="num"' : '') + '>' + esc(c) + '</th>'; });
    h += '</tr>';
    order.slice(0, S.show).forEach(function (i) {
      var c = S.certainty[i];
      h += '<tr data-id="' + esc(S.ids[i]) + '"><td>' + esc(S.ids[i]) + '</td><td>' + esc(M.types[S.types[i]].name) + '</td><td class="num">' + num(d[i], 2) + '</td>';
      if (withCertainty) { h += '<td class="num">' + (c === null ? '' : esc(fill(T.nearest_share, { n: Math.round(c * S.resamples), b: S.resamples }))) + '</td>'; }
      h += '</tr>';
    });
    return h + '</table>';
  }
  function level(margin) {
    var q = M.margin_quantiles, step = 100 / (q.length - 1), out = 0;
    q.forEach(function (v, i) { if (v <= margin) { out = Math.max(out, Math.round(i * step)); } });
    return out;
  }
  function chart(a) {
    var t = M.types[a.best], rows = M.labels.length, top = 34, rowH = 26, left = 360, width = 780, plot = width - left - 30;
    var height = top + rows * rowH + 70;
    function xOf(v) { return left + (v - 1) / 4 * plot; }
    var s = '<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ' + width + ' ' + height + '" width="' + width + '" height="' + height + '">';
    s += '<title>' + esc(T.chart) + '</title>';
    for (var k = 1; k <= 5; k++) {
      s += '<line x1="' + xOf(k) + '" y1="' + (top - 6) + '" x2="' + xOf(k) + '" y2="' + (top + rows * rowH) + '" stroke="#ddd"/>';
      s += '<text x="' + xOf(k) + '" y="' + (top - 12) + '" font-size="12" text-anchor="middle">' + k + '</text>';
    }
    M.labels.forEach(function (label, j) {
      var y = top + j * rowH + rowH / 2;
      s += '<text x="' + (left - 8) + '" y="' + (y + 4) + '" font-size="12" text-anchor="end">' + esc(label) + '</text>';
      s += '<line x1="' + xOf(1) + '" y1="' + y + '" x2="' + xOf(5) + '" y2="' + y + '" stroke="#eee"/>';
      s += '<circle cx="' + xOf(M.overall_means[j]) + '" cy="' + y + '" r="6" fill="#BBBBBB"/>';
      s += '<rect x="' + (xOf(t.centroid[j]) - 5) + '" y="' + (y - 5) + '" width="10" height="10" fill="' + t.color + '"/>';
      if (a.values[j] !== null) { s += '<circle cx="' + xOf(a.values[j]) + '" cy="' + y + '" r="4.5" fill="#000"/>'; }
    });
    var ly = top + rows * rowH + 24;
    s += '<circle cx="' + (left + 5) + '" cy="' + ly + '" r="4.5" fill="#000"/><text x="' + (left + 16) + '" y="' + (ly + 4) + '" font-size="12">' + esc(T.you) + '</text>';
    s += '<rect x="' + left + '" y="' + (ly + 13) + '" width="10" height="10" fill="' + t.color + '"/><text x="' + (left + 16) + '" y="' + (ly + 22) + '" font-size="12">' + esc(t.name) + ' (' + esc(T.type_mean) + ')</text>';
    s += '<circle cx="' + (left + 5) + '" cy="' + (ly + 36) + '" r="6" fill="#BBBBBB"/><text x="' + (left + 16) + '" y="' + (ly + 40) + '" font-size="12">' + esc(T.all_mean) + '</text>';
    return s + '</svg>';
  }
  function show(params) {
    var r = fromParams(params);
    setForm(r.values);
    if (r.invalid) {
      result.setAttribute('data-type', '');
      result.setAttribute('data-state', 'invalid');
      result.innerHTML = '<p>' + esc(fill(T.invalid, { name: r.invalid.name, value: r.invalid.value, codes: M.codes.join(', ') })) + '</p>';
      return;
    }
    if (r.values.every(function (v) { return v === null; })) {
      result.setAttribute('data-type', '');
      result.setAttribute('data-state', 'empty');
      result.innerHTML = '<p>' + esc(T.empty) + '</p>';
      return;
    }
    var a = assign(r.values);
    if (a.missing) {
      result.setAttribute('data-type', '');
      result.setAttribute('data-state', 'incomplete');
      result.innerHTML = '<p>' + esc(fill(T.incomplete, { list: a.missing.join(', ') })) + '</p>';
      return;
    }
    var t = M.types[a.best];
    var h = '<p>' + esc(T.type) + ': <span class="typename">' + esc(t.name) + '</span></p>';
    if (t.motto) { h += '<p class="motto">„' + esc(t.motto) + '“</p>'; }
    if (t.signature.length) { h += '<p>' + esc(T.focus) + ': ' + esc(t.signature.join(', ')) + '</p>'; }
    h += '<p>' + esc(T.margin) + ': <strong class="margin">' + num(a.margin, 2) + '</strong>. ';
    h += esc(a.margin < M.borderline_below ? T.borderline : fill(T.clear, { level: level(a.margin) })) + '</p>';
    if (M.resampled) { h += certainty(a.best, a); }
    if (a.imputed.length) { h += '<p>' + esc(fill(T.imputed, { list: a.imputed.join(', ') })) + '</p>'; }
    h += '<table><caption>' + esc(T.distances) + '</caption>';
    M.types.forEach(function (ty, i) {
      h += '<tr><td>' + esc(ty.name) + '</td><td class="num">' + num(a.distances[i], 2) + '</td><td>' + (i === a.best ? esc(T.own) : '') + '</td></tr>';
    });
    h += '</table>';
    if (M.surveyed) { h += nearest(a); }
    h += '<figure class="chart">' + chart(a) + '<figcaption>' + esc(T.chart) + '</figcaption></figure>';
    var others = M.types.map(function (_, i) { return i; }).filter(function (i) { return i !== a.best; });
    others.sort(function (p, q) { return a.distances[p] - a.distances[q] || p - q; });
    var items = [];
    var suggested = {};
    others.slice(0, M.suggestion_types).forEach(function (o) {
      M.lessons.filter(function (l) { return l.to === t.id && l.from === M.types[o].id && !suggested[l.variable]; })
        .slice(0, M.suggestions_per_type).forEach(function (l) {
          suggested[l.variable] = true;
          items.push(esc(l.item) + ' (' + esc(l.answer) + '): ' + esc(M.types[o].name) + ' ' + share(l.from_count, l.from_base) + ', ' + esc(t.name) + ' ' + share(l.to_count, l.to_base));
        });
    });
    h += '<h2>' + esc(T.learn) + '</h2>';
    h += items.length ? '<ul><li>' + items.join('</li><li>') + '</li></ul>' : '<p>' + esc(T.no_lessons) + '</p>';
    h += '<p class="link"><a href="?' + esc(params.toString()) + '">' + esc(T.link) + '</a></p>';
    result.innerHTML = h;
    result.setAttribute('data-type', t.id);
    result.setAttribute('data-state', 'assigned');
  }
  form.addEventListener('change', function () { show(fromForm()); });
  document.getElementById('reset').addEventListener('click', function () {
    form.querySelectorAll('input[type=radio]').forEach(function (i) { i.checked = false; });
    show(new URLSearchParams());
  });
  show(new URLSearchParams(window.location.search));
})();
