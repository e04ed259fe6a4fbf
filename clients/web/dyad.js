// Dyad's search page: reads the search from the URL, asks the daemon's HTTP API
// (GET /v1/search, GET /v1/articles/ID; docs/http-api.md) and draws the results, the facets and
// the article view. Every change (query, facet click, period, sort, page, article) goes back
// into the URL, so the address bar always holds the whole search.
//
// URL parameters (the API's names where there is one):
//   q            the query text
//   country, pair, theme, era, decade   selected facet values (repeatable; values of one field
//                are alternatives, different fields must all hold)
//   from, to     the discussed period (years)
//   sort         relevance (default), date_desc, date_asc
//   offset       first result shown (a multiple of the page size)
//   article      an article id: show that article instead of the result list
//   embed=1      hide the brand and footer, for an iframe in a portal
'use strict';

(() => {
  const PAGE_SIZE = 10;
  const FACET_VALUES = 12;
  const FACETS = [
    ['country', 'Countries'],
    ['pair', 'Country pairs'],
    ['theme', 'Themes'],
    ['era', 'Eras'],
    ['decade', 'Decades'],
  ];
  // The API's facet name for each page field (the filter parameter for a dyad is "pair").
  const FACET_API_NAME = { country: 'country', pair: 'dyad', theme: 'theme', era: 'era', decade: 'decade' };
  const FACET_FROM_API = {
    FACET_FIELD_COUNTRY: 'country', FACET_FIELD_DYAD: 'pair', FACET_FIELD_THEME: 'theme',
    FACET_FIELD_ERA: 'era', FACET_FIELD_DECADE: 'decade',
  };
  const SORTS = ['relevance', 'date_desc', 'date_asc'];

  const $ = (id) => document.getElementById(id);
  const regionNames = (() => {
    try { return new Intl.DisplayNames(['en'], { type: 'region' }); } catch (e) { return null; }
  })();

  // --- State and URL ----------------------------------------------------------------------

  function readState(search) {
    const params = new URLSearchParams(search);
    const state = { q: params.get('q') || '', from: '', to: '', sort: 'relevance', offset: 0 };
    for (const [field] of FACETS) state[field] = params.getAll(field).filter((v) => v !== '');
    for (const end of ['from', 'to']) {
      const year = params.get(end);
      if (year && /^\d{1,4}$/.test(year) && Number(year) > 0) state[end] = String(Number(year));
    }
    if (SORTS.includes(params.get('sort'))) state.sort = params.get('sort');
    const offset = Number(params.get('offset'));
    if (Number.isInteger(offset) && offset > 0) state.offset = offset;
    state.article = params.get('article') || '';
    state.embed = params.get('embed') === '1';
    return state;
  }

  function stateQuery(state, extra = {}) {
    const s = Object.assign({}, state, extra);
    const params = new URLSearchParams();
    if (s.q) params.set('q', s.q);
    for (const [field] of FACETS) for (const value of s[field]) params.append(field, value);
    if (s.from) params.set('from', s.from);
    if (s.to) params.set('to', s.to);
    if (s.sort !== 'relevance') params.set('sort', s.sort);
    if (s.offset > 0) params.set('offset', String(s.offset));
    if (s.article) params.set('article', s.article);
    if (s.embed) params.set('embed', '1');
    const text = params.toString();
    return text ? '?' + text : location.pathname;
  }

  // The GET /v1/search parameters for a state. Decades have no filter parameter: they go into
  // the query as decade:1980s terms, which the engine applies as a filter (docs/query-syntax.md).
  function searchParams(state) {
    const params = new URLSearchParams();
    const query = [state.q, ...state.decade.map((d) => 'decade:' + d)].filter(Boolean).join(' ');
    if (query) params.set('q', query);
    for (const field of ['country', 'pair', 'theme', 'era']) {
      for (const value of state[field]) params.append(field, value);
    }
    if (state.from) params.set('from', state.from);
    if (state.to) params.set('to', state.to);
    if (state.sort !== 'relevance') params.set('sort', state.sort);
    params.set('offset', String(state.offset));
    params.set('limit', String(PAGE_SIZE));
    for (const [field] of FACETS) params.append('facet', FACET_API_NAME[field] + ':' + FACET_VALUES);
    params.set('exact_facets', 'true');
    params.set('snippet_format', 'html');
    params.set('highlight_start', '<mark>');
    params.set('highlight_end', '</mark>');
    if (state.q) params.set('spelling', 'true');
    return params;
  }

  // --- Talking to the daemon -----------------------------------------------------------------

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (!response.ok) {
      const message = body && body.message ? body.message : response.status + ' ' + response.statusText;
      throw new Error(message);
    }
    return body;
  }

  // --- Drawing ----------------------------------------------------------------------------

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'text') node.textContent = value;
      else if (name === 'class') node.className = value;
      else node.setAttribute(name, value === true ? '' : value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function countryName(code) {
    if (!regionNames || !/^[A-Z]{2}$/.test(code)) return code;
    try { return regionNames.of(code) || code; } catch (e) { return code; }
  }

  function label(field, value) {
    if (field === 'country') return countryName(value) + ' (' + value + ')';
    if (field === 'pair' && /^[A-Z]{2}-[A-Z]{2}$/.test(value)) {
      return countryName(value.slice(0, 2)) + ' \u2013 ' + countryName(value.slice(3));
    }
    return value.replace(/-/g, ' ');
  }

  function showError(message) {
    const box = $('error');
    box.textContent = message || '';
    box.hidden = !message;
  }

  function drawFacets(state, facets) {
    const holder = $('facets');
    holder.replaceChildren();
    for (const facet of facets) {
      const field = FACET_FROM_API[facet.field];
      if (!field) continue;
      const title = FACETS.find(([f]) => f === field)[1];
      const values = facet.values || [];
      const max = values.reduce((m, v) => Math.max(m, Number(v.count)), 0);
      const list = el('ul');
      // Selected values stay visible (to unselect them) even when no match has them any more.
      const shown = values.map((v) => ({ value: v.value, count: Number(v.count) }));
      for (const value of state[field]) {
        if (!shown.some((v) => v.value === value)) shown.push({ value, count: 0 });
      }
      for (const { value, count } of shown) {
        const pressed = state[field].includes(value);
        const button = el('button', {
          type: 'button', 'aria-pressed': pressed ? 'true' : 'false', 'data-value': value,
          'data-count': String(count), title: value,
        }, el('span', { class: 'label', text: label(field, value) }),
          el('span', { class: 'count', text: String(count) }),
          el('span', { class: 'bar', style: 'width:' + (max ? Math.round(100 * count / max) : 0) + '%' }));
        button.addEventListener('click', () => toggle(field, value));
        list.append(el('li', {}, button));
      }
      const section = el('section', { class: 'facet', 'data-field': field },
        el('h2', { text: title }), list);
      if (values.length === 0 && shown.length === 0) section.append(el('p', { class: 'note', text: 'none' }));
      const distinct = Number(facet.distinct_values || 0);
      if (distinct > values.length) {
        section.append(el('p', { class: 'note', text: 'top ' + values.length + ' of ' + distinct }));
      }
      holder.append(section);
    }
  }

  function drawActiveFilters(state) {
    const list = $('active-filters');
    list.replaceChildren();
    const add = (text, change) => {
      const button = el('button', { type: 'button', title: 'Remove this filter', text: text + ' \u00d7' });
      button.addEventListener('click', () => go(Object.assign({}, state, change, { offset: 0, article: '' })));
      list.append(el('li', {}, button));
    };
    for (const [field] of FACETS) {
      for (const value of state[field]) {
        add(label(field, value), { [field]: state[field].filter((v) => v !== value) });
      }
    }
    if (state.from || state.to) {
      add('period ' + (state.from || '\u2026') + '\u2013' + (state.to || '\u2026'), { from: '', to: '' });
    }
  }

  function drawHits(state, response) {
    const hits = response.hits || [];
    const total = Number(response.total_estimate || 0);
    const exact = response.matches_lower_bound === response.matches_upper_bound;
    const count = $('count');
    count.dataset.total = String(total);
    if (hits.length === 0) {
      count.textContent = total > 0 ? 'No results on this page.' : 'No matching articles.';
    } else {
      count.textContent = (exact ? '' : 'About ') + total.toLocaleString('en') +
        (total === 1 ? ' article' : ' articles') + ' \u00b7 showing ' + hits[0].rank + '\u2013' +
        hits[hits.length - 1].rank;
    }
    const spelling = $('spelling');
    spelling.replaceChildren();
    spelling.hidden = !response.corrected_query;
    if (response.corrected_query) {
      const link = el('a', { href: stateQuery(state, { q: response.corrected_query, offset: 0 }),
        text: response.corrected_query });
      link.addEventListener('click', (event) => {
        event.preventDefault();
        go(Object.assign({}, state, { q: response.corrected_query, offset: 0 }));
      });
      spelling.append('Did you mean ', link, '?');
    }
    const list = $('hits');
    list.replaceChildren();
    for (const hit of hits) {
      const link = el('a', { href: stateQuery(state, { article: hit.id }), text: hit.title || hit.id });
      link.addEventListener('click', (event) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        go(Object.assign({}, state, { article: hit.id }));
      });
      const meta = [hit.published, hit.source, (hit.authors || []).join(', '), hit.id].filter(Boolean);
      const snippet = el('p', { class: 'snippet' });
      // The API escapes the text (snippet_format=html); only our <mark> markers are markup.
      snippet.innerHTML = hit.snippet || '';
      const tags = el('ul', { class: 'tags' });
      const e = hit.enrichment || {};
      for (const pair of (e.dyads || []).slice(0, 3)) tags.append(el('li', { text: pair.pair }));
      for (const theme of (e.themes || []).slice(0, 3)) tags.append(el('li', { text: theme.id }));
      for (const era of (e.eras || []).slice(0, 2)) tags.append(el('li', { text: era }));
      list.append(el('li', { class: 'hit', 'data-id': hit.id, 'data-rank': String(hit.rank) },
        el('h3', {}, link), el('p', { class: 'meta', text: meta.join(' \u00b7 ') }), snippet, tags));
    }
    drawPager(state, total, hits.length);
  }

  function drawPager(state, total, shown) {
    const pager = $('pager');
    pager.replaceChildren();
    const pages = Math.ceil(total / PAGE_SIZE);
    if (pages <= 1 && state.offset === 0) return;
    const current = Math.floor(state.offset / PAGE_SIZE);
    const link = (page, text, rel) => {
      const offset = page * PAGE_SIZE;
      const a = el('a', { href: stateQuery(state, { offset }), text, rel, 'data-offset': String(offset) });
      a.addEventListener('click', (event) => {
        event.preventDefault();
        go(Object.assign({}, state, { offset }));
      });
      return a;
    };
    if (current > 0) pager.append(link(current - 1, '\u2190 Previous', 'prev'));
    const first = Math.max(0, current - 4);
    const last = Math.min(pages - 1, first + 8);
    for (let page = first; page <= last; ++page) {
      pager.append(page === current ? el('span', { 'aria-current': 'page', text: String(page + 1) })
        : link(page, String(page + 1)));
    }
    if (shown === PAGE_SIZE && current + 1 < pages) pager.append(link(current + 1, 'Next \u2192', 'next'));
  }

  function drawArticle(state, article) {
    const view = $('article-view');
    view.replaceChildren();
    const back = el('a', { href: stateQuery(state, { article: '' }), text: '\u2190 Back to results' });
    back.addEventListener('click', (event) => {
      event.preventDefault();
      go(Object.assign({}, state, { article: '' }));
    });
    const json = el('a', { href: 'v1/articles/' + encodeURIComponent(article.id), text: 'JSON' });
    view.append(el('p', {}, back, ' \u00b7 ', json));
    view.append(el('h1', { text: article.title || article.id }));
    const meta = [article.published, article.source, (article.authors || []).join(', '), article.id]
      .filter(Boolean);
    view.append(el('p', { class: 'meta', text: meta.join(' \u00b7 ') }));
    if (article.url) view.append(el('p', {}, el('a', { href: article.url, rel: 'noopener', text: article.url })));
    const e = article.enrichment || {};
    const tags = el('ul', { class: 'tags' });
    for (const c of (e.countries || []).filter((c) => c.salient)) tags.append(el('li', { text: countryName(c.code) }));
    for (const d of e.dyads || []) tags.append(el('li', { text: d.pair }));
    for (const t of e.themes || []) tags.append(el('li', { text: t.id }));
    for (const era of e.eras || []) tags.append(el('li', { text: era }));
    if (e.period && (e.period.from || e.period.to)) {
      tags.append(el('li', { text: 'discusses ' + e.period.from + '\u2013' + e.period.to }));
    }
    view.append(tags);
    if ((article.key_points || []).length) {
      const points = el('ul', { class: 'keypoints' });
      for (const p of article.key_points) {
        points.append(el('li', {}, p.label ? el('strong', { text: p.label + ': ' }) : null, p.text));
      }
      view.append(el('h2', { text: 'Key points' }), points);
    }
    for (const section of article.sections || []) {
      if (section.heading) view.append(el('h2', { text: section.heading }));
      for (const paragraph of section.paragraphs || []) view.append(el('p', { text: paragraph }));
    }
    if (article.author_note) view.append(el('p', {}, el('em', { text: article.author_note })));
  }

  function fillControls(state) {
    $('q').value = state.q;
    $('from').value = state.from;
    $('to').value = state.to;
    $('sort').value = state.sort;
    document.body.classList.toggle('embed', state.embed);
    document.title = (state.q ? state.q + ' \u2013 ' : '') + 'Dyad search';
  }

  // --- Flow -------------------------------------------------------------------------------

  let current = readState(location.search);
  let generation = 0;
  let pending = Promise.resolve();

  async function render(state) {
    const mine = ++generation;
    document.body.dataset.state = 'loading';
    fillControls(state);
    try {
      if (state.article) {
        const answer = await getJson('v1/articles/' + encodeURIComponent(state.article));
        if (mine !== generation) return;
        drawArticle(state, answer.article || {});
        $('results-view').hidden = true;
        $('article-view').hidden = false;
        window.scrollTo(0, 0);
      } else {
        const response = await getJson('v1/search?' + searchParams(state).toString());
        if (mine !== generation) return;
        drawFacets(state, response.facets || []);
        drawActiveFilters(state);
        drawHits(state, response);
        $('results-view').hidden = false;
        $('article-view').hidden = true;
      }
      showError('');
    } catch (error) {
      if (mine !== generation) return;
      showError(error.message);
      $('hits').replaceChildren();
      $('count').textContent = '';
      $('pager').replaceChildren();
    }
    if (mine !== generation) return;
    document.body.dataset.state = 'ready';
    if (state.embed && window.parent !== window) {
      window.parent.postMessage({ dyadHeight: document.documentElement.scrollHeight }, '*');
    }
  }

  function go(state) {
    current = state;
    history.pushState(null, '', stateQuery(state));
    pending = render(state);
  }

  function toggle(field, value) {
    const values = current[field].includes(value)
      ? current[field].filter((v) => v !== value) : [...current[field], value];
    go(Object.assign({}, current, { [field]: values, offset: 0, article: '' }));
  }

  function start() {
    $('search-form').addEventListener('submit', (event) => {
      event.preventDefault();
      go(Object.assign({}, current, { q: $('q').value.trim(), offset: 0, article: '' }));
    });
    $('period-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const from = $('from').value.trim();
      const to = $('to').value.trim();
      if (from && to && Number(from) > Number(to)) {
        showError('The period ends (' + to + ') before it starts (' + from + ').');
        return;
      }
      go(Object.assign({}, current, { from, to, offset: 0, article: '' }));
    });
    $('period-clear').addEventListener('click', () => {
      go(Object.assign({}, current, { from: '', to: '', offset: 0, article: '' }));
    });
    $('sort').addEventListener('change', () => {
      go(Object.assign({}, current, { sort: $('sort').value, offset: 0 }));
    });
    window.addEventListener('popstate', () => {
      current = readState(location.search);
      pending = render(current);
    });
    pending = render(current);
  }

  // For portals and tests: the current search, and a promise that settles when the page has
  // drawn the answer to the latest change.
  window.dyad = {
    state: () => JSON.parse(JSON.stringify(current)),
    idle: async () => {
      let seen;
      do {
        seen = pending;
        await seen;
      } while (seen !== pending);
      return document.body.dataset.state;
    },
    search: (state) => go(Object.assign(readState(''), state)),
  };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
