// Progressive enhancement: draws the network above its tables with Cytoscape.js, from the tables' own rows, so the
// drawing and the accessible tables never disagree. Without JavaScript the tables are the page.
(function () {
  var holder = document.getElementById('graph-drawing');
  if (!holder || typeof cytoscape === 'undefined') {
    return;
  }
  var colours = { child: '#1d70b8', place: '#d4351c', adult: '#6f72af', vehicle: '#505a5f', phone: '#00703c' };
  var shapes = { child: 'ellipse', place: 'round-rectangle', adult: 'diamond', vehicle: 'triangle', phone: 'hexagon' };
  var elements = [];
  var start = null;
  document.querySelectorAll('#graph-nodes tbody tr[data-node]').forEach(function (row, i) {
    var id = row.getAttribute('data-node');
    if (i === 0) {
      start = id;
    }
    elements.push({ data: { id: id, label: row.querySelector('th').textContent.trim(), kind: row.getAttribute('data-kind') } });
  });
  document.querySelectorAll('#graph-edges tbody tr[data-from]').forEach(function (row, i) {
    elements.push({ data: { id: 'e' + i, source: row.getAttribute('data-from'), target: row.getAttribute('data-to'),
                            label: row.children[1].textContent.trim().split('\n')[0] } });
  });
  if (elements.length === 0) {
    return;
  }
  holder.hidden = false;
  var cy = cytoscape({
    container: holder,
    elements: elements,
    layout: { name: 'concentric', concentric: function (n) { return n.id() === start ? 10 : (n.data('kind') === 'child' ? 2 : 5); },
              levelWidth: function () { return 3; }, animate: false, padding: 20 },
    style: [
      { selector: 'node', style: { 'label': 'data(label)', 'font-size': 10, 'text-wrap': 'wrap', 'text-max-width': 120,
                                   'background-color': function (n) { return colours[n.data('kind')] || '#0b0c0c'; },
                                   'shape': function (n) { return shapes[n.data('kind')] || 'ellipse'; },
                                   'color': '#0b0c0c', 'text-valign': 'bottom', 'text-margin-y': 4 } },
      { selector: 'edge', style: { 'width': 2, 'line-color': '#b1b4b6', 'curve-style': 'bezier' } }
    ],
    userZoomingEnabled: false,
    boxSelectionEnabled: false
  });
  cy.fit(undefined, 20);
})();
