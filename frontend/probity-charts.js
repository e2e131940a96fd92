// Renders Apache ECharts charts for the Vaadin EChart component.
// Options arrive as JSON; a few formatter names are mapped to functions here, because
// functions cannot travel in JSON.
(function () {
  const formatters = {
    percent: (value) => (value * 100).toFixed(1) + ' %',
    fixed3: (value) => Number(value).toFixed(3),
  };

  function resolveFormatters(node) {
    if (Array.isArray(node)) {
      node.forEach(resolveFormatters);
    } else if (node && typeof node === 'object') {
      for (const key of Object.keys(node)) {
        const value = node[key];
        if ((key === 'formatter' || key === 'valueFormatter') && typeof value === 'string'
            && value.startsWith('fn:')) {
          node[key] = formatters[value.substring(3)];
        } else {
          resolveFormatters(value);
        }
      }
    }
  }

  function render(element, optionJson) {
    if (!window.echarts) {
      element.textContent = 'Chart library failed to load.';
      return;
    }
    const option = JSON.parse(optionJson);
    resolveFormatters(option);
    let chart = window.echarts.getInstanceByDom(element);
    if (!chart) {
      chart = window.echarts.init(element, null, { renderer: 'canvas' });
      new ResizeObserver(() => chart.resize()).observe(element);
    }
    chart.setOption(option, true);
    element.setAttribute('data-rendered', 'true');
  }

  window.probityCharts = { render };
})();
