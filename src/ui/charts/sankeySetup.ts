// The Sankey chart type, registered on the same Chart class; its own chunk, loaded only for a Sankey.
import { Flow, SankeyController } from 'chartjs-chart-sankey';
import { Chart } from './chartSetup';

Chart.register(SankeyController, Flow);

export { Chart };
