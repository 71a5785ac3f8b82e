// Progressive enhancement: draws a bar chart above each table that asks for one (data-chart-table), from the table's
// own cells, so the chart and its accessible table never disagree. Suppressed cells ([c]) are left out of the chart.
(function () {
  if (typeof Chart === 'undefined') {
    return;
  }
  document.querySelectorAll('[data-chart-table]').forEach(function (holder) {
    var table = document.getElementById(holder.getAttribute('data-chart-table'));
    var column = parseInt(holder.getAttribute('data-chart-column'), 10);
    if (!table) {
      return;
    }
    var labels = [];
    var values = [];
    var rows = Array.prototype.slice.call(table.querySelectorAll('tbody tr'));
    if (holder.getAttribute('data-chart-total') === 'true') {
      rows.pop(); // the total is in the table, not a bar
    }
    rows.forEach(function (row) {
      var cells = row.children;
      if (cells.length <= column) {
        return;
      }
      labels.push(cells[0].textContent.trim());
      var n = parseInt(cells[column].textContent.trim(), 10);
      values.push(isNaN(n) ? null : n);
    });
    var canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    var caption = table.querySelector('caption');
    canvas.setAttribute('aria-label', (caption ? caption.textContent.trim() + ': ' : '') + 'bar chart of the table below');
    holder.style.height = (labels.length * 24 + 50) + 'px';
    holder.appendChild(canvas);
    new Chart(canvas, {
      type: 'bar',
      data: { labels: labels, datasets: [{ data: values, backgroundColor: '#1d70b8' }] },
      options: { indexAxis: 'y', animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } },
                 scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  });
})();
