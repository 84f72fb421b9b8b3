import Database from 'libsql';
const orig = Database.prototype.exec;
let total = 0, n = 0;
Database.prototype.exec = function (sql, ...a) { const s = performance.now(); try { return orig.call(this, sql, ...a); } finally { const d = performance.now() - s; if (String(sql).startsWith('COMMIT') && d > 1) { total += d; n++; } } };
process.on('exit', () => console.log('COMMIT(>1ms) total', total.toFixed(0), 'ms over', n));
