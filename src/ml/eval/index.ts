export * from './splits';
export * from './protocols';
export * from './metrics';
export * from './statistics';
export * from './evaluate';
export * from './tuning';
export * from './topkScore';
