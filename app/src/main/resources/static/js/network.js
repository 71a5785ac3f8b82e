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
    layout: { name: 'preset' },
    style: [
      { selector: 'node', style: { 'label': 'data(label)', 'font-size': 11, 'text-wrap': 'wrap', 'text-max-width': 140,
                                   'background-color': function (n) { return colours[n.data('kind')] || '#0b0c0c'; },
                                   'shape': function (n) { return shapes[n.data('kind')] || 'ellipse'; },
                                   'color': '#0b0c0c', 'text-valign': 'bottom', 'text-margin-y': 6,
                                   'text-background-color': '#ffffff', 'text-background-opacity': 0.85,
                                   'text-background-padding': 2 } },
      { selector: 'edge', style: { 'width': 2, 'line-color': '#505a5f', 'curve-style': 'bezier' } }
    ],
    maxZoom: 1.2,
    userZoomingEnabled: false,
    boxSelectionEnabled: false
  });
  // The start in the middle, each step out a wider ring.
  cy.layout({ name: 'breadthfirst', roots: cy.getElementById(start), circle: true, spacingFactor: 1.6,
              animate: false, padding: 30 }).run();
  cy.fit(undefined, 30);
})();
