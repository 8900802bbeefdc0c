// The `implicit` library's model.save(path): numpy.savez of the model's arrays (item_factors,
// user_factors, and its settings as 0-d arrays), i.e. a zip of .npy files. Only item_factors is
// unzipped: the user factors are other people's and stay in the file.
import { unzipSync } from 'fflate';
import { describeBytes, importSizeLimits } from '../sizeLimits';
import { checkFinite, checkUniqueIds, ModelImportError, type ImportedItemFactors } from './itemFactors';
import { rowsNamedByManifest, type ModelManifest } from './manifest';
import { parseNpy } from './npy';

const settingNames = ['factors', 'regularization', 'alpha', 'iterations', 'learning_rate'];

/** The largest array unzipped: a zip's declared sizes are checked first, so a zip bomb is refused unread. */
const maxArrayBytes = importSizeLimits.modelFile;

function unzipEntries(bytes: Uint8Array, fileName: string, wanted: (name: string) => boolean) {
  try {
    return unzipSync(bytes, {
      filter: (entry) => {
        if (!wanted(entry.name)) return false;
        if (entry.originalSize > maxArrayBytes) {
          throw new ModelImportError(
            fileName,
            `declares ${entry.name} as ${describeBytes(entry.originalSize)}; Aisle reads arrays of at most ${describeBytes(maxArrayBytes)}`,
          );
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof ModelImportError) throw error;
    throw new ModelImportError(
      fileName,
      `is not a readable .npz (zip) archive (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

/** The single value of a 0-d (or one-element) array, for the settings shown on the card. */
function scalarOf(bytes: Uint8Array, where: string): number | undefined {
  try {
    const { values } = parseNpy(bytes, where);
    // read as float32: seven digits give back the float64 setting as it was typed (0.01)
    return values.length === 1 ? Number(values[0].toPrecision(7)) : undefined;
  } catch {
    return undefined; // a setting saved as an int or a string is only not shown
  }
}

/**
 * The item vectors of an implicit .npz. Its rows are the columns of the user × item matrix it was
 * trained on, so their ids are those column indices ("0", "1", …) unless a manifest names them.
 */
export function readImplicitNpz(
  bytes: Uint8Array,
  fileName: string,
  manifest?: Pick<ModelManifest, 'itemIds' | 'itemTensor'>,
): ImportedItemFactors {
  const arrayName = manifest?.itemTensor ?? 'item_factors';
  const wanted = new Set([arrayName, ...settingNames].map((name) => `${name}.npy`));
  const entries = unzipEntries(bytes, fileName, (name) => wanted.has(name));
  const itemBytes = entries[`${arrayName}.npy`];
  const where = `${fileName}, ${arrayName}`;
  if (!itemBytes)
    throw new ModelImportError(fileName, `has no ${arrayName}.npy; expected implicit's model.save() file`);
  const { shape, values } = parseNpy(itemBytes, where);
  if (shape.length !== 2 || shape[0] === 0 || shape[1] === 0) {
    throw new ModelImportError(where, `has shape (${shape.join(', ')}); expected (items, factors)`);
  }
  const [rows, rank] = shape;
  checkFinite(values, rank, where);
  const named = manifest
    ? rowsNamedByManifest(values, rows, rank, manifest)
    : { ids: Array.from({ length: rows }, (_, row) => String(row)), vectors: values };
  checkUniqueIds(named.ids, where);
  const settings: Record<string, number> = {};
  for (const name of settingNames) {
    const entry = entries[`${name}.npy`];
    const value = entry && scalarOf(entry, name);
    if (value !== undefined && Number.isFinite(value)) settings[name] = value;
  }
  return { format: 'implicit-npz', architecture: 'mf', rank, ...named, settings };
}
