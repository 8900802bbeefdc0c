// The parts of Chart.js the charts use, imported by name so the bundler leaves the rest out.
// Only loadCharts.ts imports this file, dynamically: it is its own chunk.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Legend,
  Tooltip,
);

/** Colours and type from the page's dark theme (app.css). */
const style = getComputedStyle(document.documentElement);
const variable = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
Chart.defaults.color = variable('--text', '#e8eaf0');
Chart.defaults.borderColor = 'rgba(154, 163, 181, 0.25)';
Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
Chart.defaults.maintainAspectRatio = false;

export { Chart };
